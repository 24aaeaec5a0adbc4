// The scenario op table: one row per op gives its enum value, its JSON name, a
// one-line description, the fields a step of that op may have (with the types
// and bounds the parser enforces) and the handler that runs it. The parser's op
// lookup and field whitelist, `opName`, the runner's dispatch and
// docs/scenario.schema.json (`pollscope schema --scenario`) all come from it.
// Adding an op: docs/development.md, "Recipe: add a scenario op".
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace pollscope::scenario {
namespace runner {
class StepRunner;
struct OpOutcome;
}  // namespace runner

// Runs one step; returns false only when the step has already failed (and said why).
using OpHandler = bool (*)(runner::StepRunner& r, const Step& s, runner::OpOutcome& out);

enum class FieldKind {
  text,       // any string
  name,       // a non-empty string naming a socket, goroutine or label
  integer,    // an integer in lo..hi
  msOrNull,   // an integer in lo..hi, or null
  flag,       // true or false
  choice,     // one of `choices`
  names,      // an array of names
  steps,      // an array of steps (a nested body)
  narration,  // a string, or {"en": ..., "zh": ...}
};

// A field as the parser has read it (only the member its kind uses is set).
struct FieldValue {
  std::string text;  // narration: its English
  std::string zh;    // narration
  int64_t number = 0;
  bool flag = false;
  bool null = false;
  std::vector<std::string> names;
};

struct OpField {
  const char* name;
  FieldKind kind;
  bool required = false;
  int64_t lo = INT64_MIN, hi = INT64_MAX;     // integer, msOrNull
  std::optional<int64_t> defaultNumber = {};  // integer: used when absent
  const char* defaultText = nullptr;          // text, choice: used when absent
  std::span<const char* const> choices = {};  // choice
  // choice: the message for a value not in `choices` ("{}" is the value); the
  // default is `unknown NAME "VALUE" (CHOICE, ...)`.
  const char* badChoice = nullptr;
  void (*set)(Step& s, const FieldValue& v) = nullptr;  // steps: the parser fills `body` itself
  const char* doc = "";
};

// Rules between fields that the field rows cannot say (e.g. "data" goes with
// "race"); `given` holds the fields the step has. Returns an error or "".
using CrossFieldRule = std::string (*)(Step& s, const std::set<std::string>& given);

struct OpSpec {
  Op op;
  const char* name;
  const char* summary;
  std::span<const OpField> fields;  // besides the common ones (commonStepFields)
  OpHandler handler;
  CrossFieldRule rule = nullptr;
};

// Every op, in `Op` order (a static_assert in op_table.cpp keeps it so).
std::span<const OpSpec> opTable();
const OpSpec& opSpec(Op op);
const OpSpec* findOp(const std::string& name);
// Fields every step may have: say, label, expect_error.
std::span<const OpField> commonStepFields();

}  // namespace pollscope::scenario
