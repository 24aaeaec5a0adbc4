// The op handlers: one small function per scenario op, reached through the op
// table. Each runs its step on the engine and reports what happened in `out`;
// it returns false only when the step has already failed (and said why).
#pragma once

#include "scenario/step_runner.hpp"

namespace pollscope::scenario::runner {

using OpHandler = bool (*)(StepRunner& r, const Step& s, OpOutcome& out);

// sockets.cpp: making, naming and closing sockets
bool opListen(StepRunner& r, const Step& s, OpOutcome& out);
bool opAccept(StepRunner& r, const Step& s, OpOutcome& out);
bool opDial(StepRunner& r, const Step& s, OpOutcome& out);
bool opClose(StepRunner& r, const Step& s, OpOutcome& out);
bool opCloseWrite(StepRunner& r, const Step& s, OpOutcome& out);
bool opSetOption(StepRunner& r, const Step& s, OpOutcome& out);
bool opCloseDuringPoll(StepRunner& r, const Step& s, OpOutcome& out);

// io.cpp: moving bytes
bool opRead(StepRunner& r, const Step& s, OpOutcome& out);
bool opReadAll(StepRunner& r, const Step& s, OpOutcome& out);
bool opWrite(StepRunner& r, const Step& s, OpOutcome& out);
bool opEcho(StepRunner& r, const Step& s, OpOutcome& out);

// time.cpp: sleeping, spinning, deadlines
bool opSleep(StepRunner& r, const Step& s, OpOutcome& out);
bool opSpin(StepRunner& r, const Step& s, OpOutcome& out);
bool opSetDeadline(StepRunner& r, const Step& s, OpOutcome& out);  // set_read/write_deadline too

// control.cpp: goroutines, loops, waiting for each other
bool opGo(StepRunner& r, const Step& s, OpOutcome& out);
bool opLoop(StepRunner& r, const Step& s, OpOutcome& out);
bool opWaitParked(StepRunner& r, const Step& s, OpOutcome& out);
bool opWaitStep(StepRunner& r, const Step& s, OpOutcome& out);
bool opWaitEvents(StepRunner& r, const Step& s, OpOutcome& out);

}  // namespace pollscope::scenario::runner
