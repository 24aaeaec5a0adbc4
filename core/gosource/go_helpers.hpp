// The Go helper functions appended to every generated program (go_helpers.cpp).
#pragma once

namespace pollscope::gosource {
extern const char* const kGoHelpers;
}
