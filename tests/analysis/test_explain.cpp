#include <catch2/catch.hpp>

#include "analysis/explain.hpp"
#include "analysis/info.hpp"
#include "scenario/scenario.hpp"
#include "support/echo_trace.hpp"

using namespace pollscope;

TEST_CASE("the English transcript tells the read path", "[explain]") {
  auto t = pstest::runEchoScenario();
  std::string en = analysis::transcript(t, analysis::Lang::en);
  CHECK(en.find("read(fd") != std::string::npos);
  CHECK(en.find("netpollblock announces it is about to park") != std::string::npos);
  CHECK(en.find("netpollblockcommit stores the goroutine") != std::string::npos);
  CHECK(en.find("epoll_wait says fd") != std::string::npos);
  CHECK(en.find("G2(server) -> pdReady") != std::string::npos);
  // Bookkeeping is hidden by default and shown with `all`.
  CHECK(en.find("publishInfo") == std::string::npos);
  CHECK(analysis::transcript(t, analysis::Lang::en, true).find("publishInfo") != std::string::npos);
}

TEST_CASE("the Chinese transcript is in Chinese", "[explain]") {
  auto t = pstest::runEchoScenario();
  std::string zh = analysis::transcript(t, analysis::Lang::zh);
  CHECK(zh.find("挂起") != std::string::npos);
  CHECK(zh.find("就绪") != std::string::npos);
  CHECK(zh.find("netpollblock announces") == std::string::npos);
  CHECK(zh.size() > 1000);
}

TEST_CASE("info summarises the run", "[explain]") {
  auto t = pstest::runEchoScenario();
  std::string s = analysis::info(t);
  CHECK(s.find("scenario:    echo") != std::string::npos);
  CHECK(s.find("epoll backend") != std::string::npos);
  CHECK(s.find("G2    server") != std::string::npos);
}
