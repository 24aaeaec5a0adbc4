#include "model/live_run.hpp"

namespace pollscope::viz {

LiveRun::LiveRun(scenario::Scenario s, bool paused) : s_(std::move(s)) {
  if (paused) gate_.pause();
  rec_.setGate(&gate_);
  thread_ = std::thread([this] {
    scenario::RunOptions opt;
    opt.recorder = &rec_;
    opt.watchdog = false;  // a paused run takes as long as its user likes
    result_ = scenario::runScenario(s_, opt);
    finished_.store(true, std::memory_order_release);
  });
}

LiveRun::~LiveRun() {
  gate_.resume();
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<traceio::TraceModel> LiveRun::startModel() const {
  auto t = std::make_unique<traceio::TraceModel>();
  t->meta.scenario = s_.name;
  t->meta.titleEn = s_.title.en;
  t->meta.titleZh = s_.title.zh;
  t->meta.descriptionEn = s_.description.en;
  t->meta.descriptionZh = s_.description.zh;
#if defined(__linux__)
  t->meta.backend = "epoll";
#else
  t->meta.backend = "kqueue";
#endif
  t->meta.gomaxprocs = s_.gomaxprocs;
  t->steps = scenario::stepTable(s_);
  return t;
}

bool LiveRun::refresh(traceio::TraceModel& t) {
  if (rec_.recorded() == copied_) return false;
  std::vector<trace::Event> all = rec_.collect();
  size_t before = t.events.size();
  for (size_t i = copied_; i < all.size() && all[i].seq == i; ++i) {
    const trace::Event& e = all[i];
    t.events.push_back(e);
    // Until its first scenario step names it, a goroutine is known by its creator.
    if (e.kind == trace::Kind::gCreate && !t.goroutines.count(e.a[0]))
      t.goroutines[e.a[0]] = e.a[1] ? "goroutine" : "main";
    if (e.kind == trace::Kind::step && t.goroutines[e.g] == "goroutine") {
      for (const auto& st : t.steps)
        if (st.id == e.a[0]) t.goroutines[e.g] = st.goroutine;
    }
  }
  copied_ = t.events.size();
  return t.events.size() != before;
}

}  // namespace pollscope::viz
