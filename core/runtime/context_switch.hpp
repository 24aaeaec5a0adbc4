// The architecture-specific half of a context switch (context_switch.cpp).
#pragma once

#include <cstdint>

extern "C" {
// Saves callee-saved registers on the current stack, stores its stack pointer in
// *saveSp, switches to loadSp and restores the registers saved there.
void ps_switch_context(void** saveSp, void* loadSp);
// Where a prepared stack starts (never called directly).
void ps_context_start();
}

namespace pollscope::rt {
// Lays out a fresh stack so that ps_switch_context(_, result) calls entry(arg).
void* prepareStack(void* stackTop, void (*entry)(void*), void* arg);
}  // namespace pollscope::rt
