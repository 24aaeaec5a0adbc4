// The engine's table of goroutine names: what a trace's `goroutines` map is built
// from, kept at one index per goroutine so a server's connection churn does not
// grow memory by a string per connection.
#include <catch2/catch.hpp>
#include <string>

#include "runtime/goroutine_names.hpp"

using pollscope::rt::GoroutineNames;

TEST_CASE("goroutine names: each goroutine gets back the name it was given") {
  GoroutineNames names;
  names.set(1, "main");
  names.set(2, "server");
  names.set(3, "g3");
  CHECK(names.get(1) == "main");
  CHECK(names.get(2) == "server");
  CHECK(names.get(3) == "g3");
  CHECK(names.get(0).empty());   // never set
  CHECK(names.get(4).empty());   // past the end
  CHECK(names.get(-1).empty());  // not an id
  names.set(10, "late");         // ids may skip (another engine's, or never started)
  CHECK(names.get(9).empty());
  CHECK(names.get(10) == "late");
  names.set(2, "renamed");  // a G reused under a new id gets a new entry; an id set twice keeps the last
  CHECK(names.get(2) == "renamed");
}

TEST_CASE("goroutine names: a server's many handlers share one stored name") {
  GoroutineNames names;
  names.set(1, "main");
  names.set(2, "accept-loop");
  for (int64_t id = 3; id < 100003; ++id) names.set(id, "handler");
  CHECK(names.distinctNames() == 3);
  CHECK(names.get(3) == "handler");
  CHECK(names.get(100002) == "handler");
  CHECK(names.get(2) == "accept-loop");
  CHECK(names.get(100003).empty());
}
