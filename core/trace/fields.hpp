// Named event fields: typed access to Event::a, generated from the kind table.
//
// Sections: 1. field types in C++  2. field indices  3. View (read)  4. Edit (write)
//           5. Args (record)  6. generic per-field access
//
// Reading:   if (auto s = trace::as<Kind::sem>(e)) { s->pd(); s->from() == SemState::pdWait; }
//            trace::View<Kind::sem> s{e};   // when e.kind is known (asserted in debug builds)
// Writing:   trace::Edit<Kind::sem>{e}.from(SemState::pdNil);
// Recording: trace::Args<Kind::sem>{pd, fd, Mode::r, from, to, SemBy::blockCommit, fromG, toG}
//            (positional or designated; every field must be given, with its type)
// Enum-typed fields return their enum, Bool fields bool, all others int64_t.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <type_traits>

#include "trace/event.hpp"
#include "trace/vocabulary.hpp"

namespace pollscope::trace {

// ---- 1. field types in C++ --------------------------------------------------------
template <FieldType T>
struct FieldCpp {
  using type = int64_t;
};
template <>
struct FieldCpp<FieldType::Bool> {
  using type = bool;
};
#define PS_FIELD_CPP_ENUM(E)      \
  template <>                     \
  struct FieldCpp<FieldType::E> { \
    using type = E;               \
  };
PS_TRACE_ENUM_TYPES(PS_FIELD_CPP_ENUM)
#undef PS_FIELD_CPP_ENUM
template <FieldType T>
using FieldCppT = typename FieldCpp<T>::type;

// ---- 2. field indices: fieldIndex<Kind::sem>::pd == 0 ------------------------------
template <Kind K>
struct FieldIndex;
#define PS_IDX_KIND(id, json, layer) \
  template <>                        \
  struct FieldIndex<Kind::id> {      \
    enum : int {
#define PS_IDX_FIELD(id, json, type) id,
#define PS_IDX_END(id) \
  count_               \
  }                    \
  ;                    \
  }                    \
  ;                    \
  static_assert(FieldIndex<Kind::id>::count_ <= kMaxArgs, #id " has more fields than Event::a holds");
PS_TRACE_KINDS(PS_IDX_KIND, PS_IDX_FIELD, PS_IDX_END)
#undef PS_IDX_KIND
#undef PS_IDX_FIELD
#undef PS_IDX_END

// ---- 3. View: read-only named access to one event of a known kind ------------------
template <Kind K>
class View;
#define PS_VIEW_KIND(id, json, layer)                                  \
  template <>                                                          \
  class View<Kind::id> {                                               \
    using I = FieldIndex<Kind::id>;                                    \
    const Event* e_;                                                   \
                                                                       \
   public:                                                             \
    static constexpr Kind kind = Kind::id;                             \
    explicit View(const Event& e) : e_(&e) { assert(e.kind == kind); } \
    const Event& event() const { return *e_; }
#define PS_VIEW_FIELD(id, json, type)                             \
  FieldCppT<FieldType::type> id() const {                         \
    return static_cast<FieldCppT<FieldType::type>>(e_->a[I::id]); \
  }
#define PS_VIEW_END(id) \
  }                     \
  ;
PS_TRACE_KINDS(PS_VIEW_KIND, PS_VIEW_FIELD, PS_VIEW_END)
#undef PS_VIEW_KIND
#undef PS_VIEW_FIELD
#undef PS_VIEW_END

// The view of `e` when it is of kind K, else nullopt.
template <Kind K>
std::optional<View<K>> as(const Event& e) {
  if (e.kind != K) return std::nullopt;
  return View<K>(e);
}

// ---- 4. Edit: named writes into an event of a known kind (tests, fixers) ---------
template <Kind K>
class Edit;
#define PS_EDIT_KIND(id, json, layer)                                \
  template <>                                                        \
  class Edit<Kind::id> {                                             \
    using I = FieldIndex<Kind::id>;                                  \
    Event* e_;                                                       \
                                                                     \
   public:                                                           \
    explicit Edit(Event& e) : e_(&e) { assert(e.kind == Kind::id); } \
    View<Kind::id> view() const { return View<Kind::id>(*e_); }
#define PS_EDIT_FIELD(id, json, type)       \
  Edit& id(FieldCppT<FieldType::type> v) {  \
    e_->a[I::id] = static_cast<int64_t>(v); \
    return *this;                           \
  }
#define PS_EDIT_END(id) \
  }                     \
  ;
PS_TRACE_KINDS(PS_EDIT_KIND, PS_EDIT_FIELD, PS_EDIT_END)
#undef PS_EDIT_KIND
#undef PS_EDIT_FIELD
#undef PS_EDIT_END

// ---- 5. Args: the fields of one record call, checked for count and types ---------
// An aggregate of Required<T>: positional or designated initialisation, and a
// missing field is a compile error (Required has no default constructor). Every
// member is one int64_t, so the aggregate is laid out exactly like Event::a's prefix.
template <class T>
class Required {
 public:
  // Implicit on purpose: Args<K>{pd, fd, Mode::r, ...} reads like a call.
  Required(T v) : raw_(static_cast<int64_t>(v)) {}  // NOLINT(google-explicit-constructor)
  int64_t raw() const { return raw_; }

 private:
  int64_t raw_;
};

template <Kind K>
struct Args;
#define PS_ARGS_KIND(id, json, layer) \
  template <>                         \
  struct Args<Kind::id> {
#define PS_ARGS_FIELD(id, json, type) Required<FieldCppT<FieldType::type>> id;
#define PS_ARGS_END(id)                                                                    \
  }                                                                                        \
  ;                                                                                        \
  static_assert(sizeof(Args<Kind::id>) == FieldIndex<Kind::id>::count_ * sizeof(int64_t)); \
  static_assert(std::is_trivially_copyable_v<Args<Kind::id>>);
PS_TRACE_KINDS(PS_ARGS_KIND, PS_ARGS_FIELD, PS_ARGS_END)
#undef PS_ARGS_KIND
#undef PS_ARGS_FIELD
#undef PS_ARGS_END

// Stores `args` into `e`'s fields (the rest zero). The recorder's hot path uses it.
template <Kind K>
inline void storeArgs(Event& e, const Args<K>& args) {
  static_assert(sizeof(args) <= sizeof(e.a));
  std::memcpy(e.a, &args, sizeof(args));
  std::memset(reinterpret_cast<char*>(e.a) + sizeof(args), 0, sizeof(e.a) - sizeof(args));
}

// An event of kind K with the given fields (tests and synthetic inputs).
template <Kind K>
Event makeEvent(const Args<K>& args) {
  Event e;
  e.kind = K;
  storeArgs<K>(e, args);
  return e;
}

// ---- 6. generic per-field access, for code that handles every kind alike ---------
// (serialisers, tables, filters). Kind-specific code uses View instead.
struct FieldValue {
  const FieldSpec& spec;
  int64_t raw;  // as stored; format with formatValue(spec.type, raw)
};

// Iterates `e`'s fields in table order: for (FieldValue f : fieldsOf(e)) ...
class FieldRange {
 public:
  explicit FieldRange(const Event& e)
      : e_(&e), spec_(e.kind < Kind::count_ ? &kindSpec(e.kind) : nullptr), n_(spec_ ? spec_->fieldCount() : 0) {}
  class iterator {
   public:
    iterator(const FieldRange* r, int i) : r_(r), i_(i) {}
    FieldValue operator*() const { return {r_->spec_->fields[i_], r_->e_->a[i_]}; }
    iterator& operator++() {
      ++i_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return i_ != o.i_; }

   private:
    const FieldRange* r_;
    int i_;
  };
  iterator begin() const { return {this, 0}; }
  iterator end() const { return {this, n_}; }

 private:
  const Event* e_;
  const KindSpec* spec_;
  int n_;
};
inline FieldRange fieldsOf(const Event& e) {
  return FieldRange(e);
}

// The raw value of the field named `json` (e.g. "pd"), when e's kind has one.
inline std::optional<int64_t> fieldValue(const Event& e, std::string_view json) {
  if (e.kind >= Kind::count_) return std::nullopt;
  int i = kindSpec(e.kind).fieldIndex(json);
  if (i < 0) return std::nullopt;
  return e.a[i];
}
// True when both events carry the same field values (all of Event::a).
inline bool sameFields(const Event& x, const Event& y) {
  return std::memcmp(x.a, y.a, sizeof(x.a)) == 0;
}

}  // namespace pollscope::trace
