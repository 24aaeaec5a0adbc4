#include "traceio/event_line.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "trace/vocabulary.hpp"

namespace pollscope::traceio {
using trace::FieldType;

void ByteBuffer::grow(size_t n) {
  size_t cap = std::max({cap_ * 2, size_ + n, size_t{4096}});
  auto bigger = std::make_unique<char[]>(cap);
  if (size_) std::memcpy(bigger.get(), data_.get(), size_);
  data_ = std::move(bigger);
  cap_ = cap;
}

namespace {

// The constant text of one kind's line, built once from the vocabulary.
struct KindText {
  std::string head;  // ,"kind":"<name>","site":
  struct Field {
    std::string key;      // ,"<name>":
    std::string nameKey;  // ,"<name>_name":  (fields with a readable name beside the number)
    FieldType type;
    enum How { name, boolean, number, numberAndName } how;
    const std::vector<std::string>* names = nullptr;  // how == name: quoted names of values 0..kNamedValues-1
  };
  std::vector<Field> fields;
};

// Names the vocabulary makes (enum names, flag lists) are plain text: written
// between quotes as they are, unless one ever needs escaping.
void appendQuoted(ByteBuffer& out, std::string_view s) {
  for (char c : s)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      out.append(nlohmann::json(std::string(s)).dump());
      return;
    }
  char* p = out.reserve(s.size() + 2);
  *p++ = '"';
  p = std::copy(s.begin(), s.end(), p);
  *p++ = '"';
  out.commit(p);
}

// Every enum's values are small (Mode's are characters: 'r' + 'w' = 233), so their
// quoted names are built once, by value; a value past the table takes the long way.
constexpr int64_t kNamedValues = 256;

std::vector<std::string> quotedNames(FieldType t) {
  std::vector<std::string> names;
  for (int64_t v = 0; v < kNamedValues; ++v) {
    ByteBuffer b;
    appendQuoted(b, trace::enumName(t, v));
    names.emplace_back(b.view());
  }
  return names;
}

const std::vector<KindText>& kindTexts() {
  static const std::vector<KindText> table = [] {
    static std::vector<std::vector<std::string>> names(256);  // by FieldType
    std::vector<KindText> t(static_cast<size_t>(trace::Kind::count_));
    for (size_t k = 0; k < t.size(); ++k) {
      const auto& spec = trace::kindSpec(static_cast<trace::Kind>(k));
      t[k].head = std::string(",\"kind\":\"") + spec.name + "\",\"site\":";
      for (int i = 0; i < trace::kMaxArgs && spec.fields[i].name; ++i) {
        const auto& f = spec.fields[i];
        auto how = trace::isEnumType(f.type)      ? KindText::Field::name
                   : f.type == FieldType::Bool    ? KindText::Field::boolean
                   : trace::hasNameBeside(f.type) ? KindText::Field::numberAndName
                                                  : KindText::Field::number;
        auto& byValue = names[static_cast<size_t>(f.type)];
        if (how == KindText::Field::name && byValue.empty()) byValue = quotedNames(f.type);
        t[k].fields.push_back(
            {std::string(",\"") + f.name + "\":", std::string(",\"") + f.name + "_name\":", f.type, how, &byValue});
      }
    }
    return t;
  }();
  return table;
}

template <typename T>
char* putInt(char* p, T v) {
  return std::to_chars(p, p + 24, v).ptr;
}

char* putText(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

constexpr std::string_view kFirst = "\n{\"seq\":", kNext = ",\n{\"seq\":";
constexpr size_t kNumbersRoom = 5 * 24 + 32;  // five integers and the keys between them
constexpr size_t kNameCacheMax = 4096;        // distinct names kept; more are formatted each time

}  // namespace

void EventLineFormatter::append(ByteBuffer& out, const trace::Event& e, int siteId, bool first) {
  static const auto& texts = kindTexts();
  static const KindText unknown{",\"kind\":\"?\",\"site\":", {}};  // never recorded; read traces name known kinds
  const KindText& kt = static_cast<size_t>(e.kind) < texts.size() ? texts[static_cast<size_t>(e.kind)] : unknown;
  char* p = out.reserve(kNumbersRoom + kt.head.size() + 24);
  p = putText(p, first ? kFirst : kNext);
  p = putInt(p, e.seq);
  p = putText(p, ",\"ts\":");
  p = putInt(p, e.ts);
  p = putText(p, ",\"m\":");
  p = putInt(p, e.m);
  p = putText(p, ",\"p\":");
  p = putInt(p, e.p);
  p = putText(p, ",\"g\":");
  p = putInt(p, e.g);
  p = putText(p, kt.head);
  p = putInt(p, siteId);
  out.commit(p);
  for (size_t i = 0; i < kt.fields.size(); ++i) {
    const auto& f = kt.fields[i];
    int64_t v = e.a[i];
    p = out.reserve(f.key.size() + 24);
    p = putText(p, f.key);
    switch (f.how) {
      case KindText::Field::name:
        out.commit(p);
        if (v >= 0 && v < kNamedValues)
          out.append((*f.names)[static_cast<size_t>(v)]);
        else
          appendQuoted(out, trace::enumName(f.type, v));
        break;
      case KindText::Field::boolean: out.commit(putText(p, v ? "true" : "false")); break;
      case KindText::Field::number: out.commit(putInt(p, v)); break;
      case KindText::Field::numberAndName:
        out.commit(putInt(p, v));
        out.append(f.nameKey);
        appendNameBeside(out, static_cast<int>(f.type), v);
        break;
    }
  }
  out.push('}');
}

void EventLineFormatter::appendNameBeside(ByteBuffer& out, int type, int64_t v) {
  auto it = names_.find(Key{type, v});
  if (it == names_.end()) {
    ByteBuffer quoted;
    appendQuoted(quoted, trace::formatValue(static_cast<FieldType>(type), v));
    if (names_.size() >= kNameCacheMax) {
      out.append(quoted.view());
      return;
    }
    it = names_.emplace(Key{type, v}, std::string(quoted.view())).first;
  }
  out.append(it->second);
}

}  // namespace pollscope::traceio
