// The register-only context switch (like Go's gogo/mcall, or Boost.Context's
// fcontext): one small routine per architecture, x86-64 (System V) and arm64
// (AAPCS64), for ELF (Linux, BSDs) and Mach-O (macOS).
//
// Why not ucontext: swapcontext saves and restores the signal mask, one
// rt_sigprocmask syscall per switch, and macOS deprecates the whole API (it is
// absent on OpenBSD). A goroutine switch only has to preserve what the calling
// convention says a callee preserves, so that is all this saves.
//
// ps_switch_context(void** saveSp, void* loadSp):
//   pushes the callee-saved registers on the current stack, stores the stack
//   pointer in *saveSp, loads loadSp and pops the registers saved there, then
//   returns into whatever that stack was doing.
// A new stack is prepared by initGoroutineContext (context.cpp) so that the first
// switch to it "returns" into ps_context_start, which calls entry(arg) and never
// returns (goroutines end with a final switch away).
#include "runtime/context_switch.hpp"

#if defined(__APPLE__)
#define PS_ASM_SYM(name) "_" #name
#define PS_ASM_FUNC_BEGIN(name) ".text\n.globl " PS_ASM_SYM(name) "\n.p2align 4\n" PS_ASM_SYM(name) ":\n"
#define PS_ASM_FUNC_END(name) ""
#else
#define PS_ASM_SYM(name) #name
#define PS_ASM_FUNC_BEGIN(name) \
  ".text\n.globl " #name "\n.hidden " #name "\n.type " #name ",%function\n.p2align 4\n" #name ":\n"
#define PS_ASM_FUNC_END(name) ".size " #name ",.-" #name "\n"
#endif

#if defined(__x86_64__)
// Saved frame, from the saved stack pointer up: mxcsr (4) + x87 control word (2)
// + pad (2), r15, r14, r13, r12, rbx, rbp, return address.
// ldmxcsr and fldcw are slow microcoded instructions (Go's gogo loads neither),
// and the two words almost never differ between goroutines, so they are loaded
// only when the resumed context's differ from the current ones (rax and rcx are
// scratch registers in the System V ABI).
asm(PS_ASM_FUNC_BEGIN(ps_switch_context)
    "  pushq %rbp\n"
    "  pushq %rbx\n"
    "  pushq %r12\n"
    "  pushq %r13\n"
    "  pushq %r14\n"
    "  pushq %r15\n"
    "  subq $8, %rsp\n"
    "  stmxcsr (%rsp)\n"
    "  fnstcw 4(%rsp)\n"
    "  movl (%rsp), %eax\n"
    "  movzwl 4(%rsp), %ecx\n"
    "  movq %rsp, (%rdi)\n"
    "  movq %rsi, %rsp\n"
    "  cmpl (%rsp), %eax\n"
    "  jne 2f\n"
    "  cmpw 4(%rsp), %cx\n"
    "  jne 2f\n"
    "1:\n"
    "  addq $8, %rsp\n"
    "  popq %r15\n"
    "  popq %r14\n"
    "  popq %r13\n"
    "  popq %r12\n"
    "  popq %rbx\n"
    "  popq %rbp\n"
    "  ret\n"
    "2:\n"
    "  ldmxcsr (%rsp)\n"
    "  fldcw 4(%rsp)\n"
    "  jmp 1b\n" PS_ASM_FUNC_END(ps_switch_context)
    // First code on a new stack: r12 = arg, r13 = entry (set by initGoroutineContext).
    PS_ASM_FUNC_BEGIN(ps_context_start)
    "  movq %r12, %rdi\n"
    "  callq *%r13\n"
    "  ud2\n" PS_ASM_FUNC_END(ps_context_start));

#elif defined(__aarch64__)
// Saved frame (176 bytes, 16-aligned): d8-d15, x19-x28, x29 (fp), x30 (lr).
// x18 is the platform register on macOS: never touched.
asm(PS_ASM_FUNC_BEGIN(ps_switch_context)
    "  sub sp, sp, #176\n"
    "  stp d8, d9, [sp, #0]\n"
    "  stp d10, d11, [sp, #16]\n"
    "  stp d12, d13, [sp, #32]\n"
    "  stp d14, d15, [sp, #48]\n"
    "  stp x19, x20, [sp, #64]\n"
    "  stp x21, x22, [sp, #80]\n"
    "  stp x23, x24, [sp, #96]\n"
    "  stp x25, x26, [sp, #112]\n"
    "  stp x27, x28, [sp, #128]\n"
    "  stp x29, x30, [sp, #144]\n"
    "  mov x9, sp\n"
    "  str x9, [x0]\n"
    "  mov sp, x1\n"
    "  ldp d8, d9, [sp, #0]\n"
    "  ldp d10, d11, [sp, #16]\n"
    "  ldp d12, d13, [sp, #32]\n"
    "  ldp d14, d15, [sp, #48]\n"
    "  ldp x19, x20, [sp, #64]\n"
    "  ldp x21, x22, [sp, #80]\n"
    "  ldp x23, x24, [sp, #96]\n"
    "  ldp x25, x26, [sp, #112]\n"
    "  ldp x27, x28, [sp, #128]\n"
    "  ldp x29, x30, [sp, #144]\n"
    "  add sp, sp, #176\n"
    "  ret\n" PS_ASM_FUNC_END(ps_switch_context)
    // First code on a new stack: x19 = arg, x20 = entry (set by initGoroutineContext).
    PS_ASM_FUNC_BEGIN(ps_context_start)
    "  mov x0, x19\n"
    "  blr x20\n"
    "  brk #0\n" PS_ASM_FUNC_END(ps_context_start));

#else
#error "pollscope: no context switch for this architecture (x86-64 and arm64 only)"
#endif

namespace pollscope::rt {

void* prepareStack(void* stackTop, void (*entry)(void*), void* arg) {
  auto top = reinterpret_cast<uintptr_t>(stackTop) & ~uintptr_t{15};
  void (*start)() = &ps_context_start;
#if defined(__x86_64__)
  // After `ret` pops the start address, rsp must be 16-aligned minus nothing: the
  // `call` in ps_context_start then pushes a return address as a normal call does.
  auto* sp = reinterpret_cast<uint64_t*>(top - 16 - 8 * 8);
  sp[0] = 0x1F80 | (uint64_t{0x037F} << 32);  // mxcsr default, x87 control word default
  sp[1] = 0;                                  // r15
  sp[2] = 0;                                  // r14
  sp[3] = reinterpret_cast<uint64_t>(entry);  // r13
  sp[4] = reinterpret_cast<uint64_t>(arg);    // r12
  sp[5] = 0;                                  // rbx
  sp[6] = 0;                                  // rbp: ends frame-pointer walks
  sp[7] = reinterpret_cast<uint64_t>(start);  // return address
  return sp;
#elif defined(__aarch64__)
  auto* sp = reinterpret_cast<uint64_t*>(top - 176);
  for (int i = 0; i < 22; ++i) sp[i] = 0;
  sp[8] = reinterpret_cast<uint64_t>(arg);     // x19
  sp[9] = reinterpret_cast<uint64_t>(entry);   // x20
  sp[18] = 0;                                  // x29: ends frame-pointer walks
  sp[19] = reinterpret_cast<uint64_t>(start);  // x30
  return sp;
#endif
}

}  // namespace pollscope::rt
