#include "model/live_run.hpp"

#include "trace/fields.hpp"

namespace pollscope::viz {

LiveRun::LiveRun(scenario::Scenario s, bool paused) : st_(std::make_shared<State>()) {
  st_->s = std::move(s);
  if (paused) st_->gate.pause();
  st_->rec.setGate(&st_->gate);
  thread_ = std::thread([st = st_] {
    scenario::RunOptions opt;
    opt.recorder = &st->rec;
    opt.watchdog = false;  // a paused run takes as long as its user likes (the watchdog would end the viewer)
    st->result = scenario::runScenario(st->s, opt);
    st->finished.store(true, std::memory_order_release);
  });
}

LiveRun::~LiveRun() {
  st_->gate.resume();
  for (auto until = std::chrono::steady_clock::now() + kEndWait; std::chrono::steady_clock::now() < until;) {
    if (st_->finished.load(std::memory_order_acquire)) {
      thread_.join();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  thread_.detach();  // still running: it keeps its own state alive
}

std::unique_ptr<traceio::TraceModel> LiveRun::startModel() const {
  auto t = std::make_unique<traceio::TraceModel>();
  t->meta.scenario = st_->s.name;
  t->meta.titleEn = st_->s.title.en;
  t->meta.titleZh = st_->s.title.zh;
  t->meta.descriptionEn = st_->s.description.en;
  t->meta.descriptionZh = st_->s.description.zh;
#if defined(__linux__)
  t->meta.backend = "epoll";
#else
  t->meta.backend = "kqueue";
#endif
  t->meta.gomaxprocs = st_->s.gomaxprocs;
  t->steps = scenario::stepTable(st_->s);
  return t;
}

bool LiveRun::refresh(traceio::TraceModel& t) {
  if (st_->rec.recorded() == copied_) return false;
  std::vector<trace::Event> all = st_->rec.collect();
  size_t before = t.events.size();
  for (size_t i = copied_; i < all.size() && all[i].seq == i; ++i) {
    const trace::Event& e = all[i];
    t.events.push_back(e);
    // Until its first scenario step names it, a goroutine is known by its creator.
    if (auto c = trace::as<trace::Kind::gCreate>(e); c && !t.goroutines.count(c->goid()))
      t.goroutines[c->goid()] = c->parent() ? "goroutine" : "main";
    if (auto s = trace::as<trace::Kind::step>(e); s && t.goroutines[e.g] == "goroutine") {
      for (const auto& st : t.steps)
        if (st.id == s->step()) t.goroutines[e.g] = st.goroutine;
    }
  }
  copied_ = t.events.size();
  return t.events.size() != before;
}

}  // namespace pollscope::viz
