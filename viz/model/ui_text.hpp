// Every word the viewer's own controls show (menus, buttons, tabs, hints,
// dialogs, diagram labels), in English and Simplified Chinese, one row each.
// Views draw ui(v, Ui::x) (views/views.hpp); the Chinese column's characters go
// into the font atlas (Viewer::chineseTexts), so none falls back to a '?'. Names
// of Go functions, syscalls and constants stay as they are in both columns.
// Rows with {} are fmt format strings: both columns take the same arguments.
#pragma once

#include "analysis/explain.hpp"
#include "model/table_rows.hpp"

namespace pollscope::viz {

// clang-format off
#define PS_UI_TEXTS(X)                                                                                  \
  /* menus */                                                                                          \
  X(menuFile, "File", "文件")                                                                          \
  X(menuOpen, "Open...", "打开...")                                                                    \
  X(menuRunLive, "Run a scenario live", "实时运行场景")                                                \
  X(menuRecent, "Recent", "最近打开")                                                                  \
  X(menuCompare, "Compare read-before-data, data-before-park, event-while-wait", "并排比较三种读取结果") \
  X(menuLive, "Live", "实时")                                                                          \
  X(menuFreeRun, "Engine runs freely", "引擎自由运行")                                                 \
  X(menuOneStep, "Let the engine take one step", "让引擎走一步")                                       \
  X(menuOneStepKey, "Right at the newest event", "在最新事件处按 →")                                   \
  X(menuView, "View", "视图")                                                                          \
  X(menuFollow, "Follow the current event", "跟随当前事件")                                            \
  X(menuCode, "Code behind the event", "事件背后的代码")                                               \
  X(menuClassroom, "Classroom", "课堂")                                                                \
  X(menuPresenter, "Presenter mode", "演示模式")                                                       \
  X(menuFullScreen, "Full screen", "全屏")                                                             \
  X(menuChinese, "Chinese narration", "中文讲解")                                               \
  X(menuLightTheme, "Light theme (projectors)", "浅色主题（投影仪）")                                  \
  X(menuLarger, "Larger text", "放大文字")                                                             \
  X(menuSmaller, "Smaller text", "缩小文字")                                                           \
  X(menuLessons, "Lessons", "课程")                                                                    \
  X(menuNextSlide, "Next slide", "下一页")                                                             \
  X(menuPrevSlide, "Previous slide", "上一页")                                                         \
  X(menuAnswers, "Show answers", "显示答案")                                                           \
  X(menuSavePicture, "Save picture (PNG, 1920x1080)", "保存图片（PNG，1920x1080）")                   \
  X(menuSaveGif, "Save animated GIF", "保存动画 GIF")                                                  \
  X(noScenariosIn, "no scenarios found in {}", "在 {} 中没有找到场景")                                 \
  X(noLessonsIn, "no lessons found in {}", "在 {} 中没有找到课程")                                     \
  X(liveColon, "LIVE: {}", "实时：{}")                                                                 \
  X(liveNone, "no live run", "没有实时运行")                                                           \
  X(liveFinished, "finished", "已结束")                                                                \
  X(liveFree, "engine running freely", "引擎自由运行中")                                               \
  X(liveStopped, "engine stopped at an event", "引擎停在一个事件上")                                   \
  X(liveWorking, "engine working", "引擎运行中")                                                       \
  X(statusLive, "live: the engine stops after every event; the player lets it go on",                  \
    "实时：引擎在每个事件后停下，由播放器让它继续")                                                    \
  X(statusOpened, "opened {}", "已打开 {}")                                                            \
  X(statusOpenedCut, "opened {} (cut short: {})", "已打开 {}（文件不完整：{}）")                              \
  X(statusCancelled, "cancelled opening {}", "已取消打开 {}")                                          \
  X(statusBreakpoint, "stopped at a breakpoint", "停在断点处")                                         \
  X(statusBreakpointAt, "stopped at a breakpoint: {}", "停在断点处：{}")                               \
  X(statusOneStep, "live: the engine took one step", "实时：引擎走了一步")                             \
  X(statusFinishedOk, "live run finished: every check of the scenario passed", "实时运行结束：场景的每项检查都通过了") \
  X(statusFinishedBad, "live run finished with {} failed check(s): {}", "实时运行结束，{} 项检查失败：{}") \
  /* dialogs */                                                                                        \
  X(dlgOpenTitle, "Open a trace or a scenario", "打开轨迹或场景")                                      \
  X(dlgUp, "Up", "上一级")                                                                             \
  X(dlgOpenHint, "traces (*.trace.json) replay; scenarios run live", "轨迹（*.trace.json）回放；场景实时运行") \
  X(dlgOpen, "Open", "打开")                                                                           \
  X(dlgCancel, "Cancel", "取消")                                                                       \
  X(dlgOpening, "Opening", "正在打开")                                                                 \
  X(dlgCannotOpen, "Cannot open", "无法打开")                                                          \
  X(dlgOk, "OK", "确定")                                                                               \
  X(dlgSaveTitle, "Save view", "保存视图")                                                             \
  X(dlgSaveWhat, "Saves the {} (as pollscope export does)", "保存{}（与 pollscope export 相同）")      \
  X(dlgSave, "Save", "保存")                                                                           \
  X(dlgSavePicture, "Save picture (PNG)", "保存图片（PNG）")                                           \
  X(dlgSavePictureHint, "the diagram, caption and phase strip at 1920x1080, for slides and handouts",  \
    "图表、说明和阶段条，1920x1080，用于幻灯片和讲义")                                                 \
  /* player */                                                                                         \
  X(play, "Play", "播放")                                                                              \
  X(pause, "Pause", "暂停")                                                                            \
  X(eventsBackendProcs, "({} events, {}, GOMAXPROCS={})", "（{} 个事件，{}，GOMAXPROCS={}）")          \
  X(tipPrevPd, "previous event on pd{}", "pd{} 的上一个事件")                                          \
  X(tipNextPd, "next event on pd{}", "pd{} 的下一个事件")                                              \
  X(tipPrevG, "previous event of G{}", "G{} 的上一个事件")                                             \
  X(tipNextG, "next event of G{}", "G{} 的下一个事件")                                                 \
  X(breakHit, "break", "断点")                                                                         \
  X(breakpointsN, "Breakpoints ({})", "断点（{}）")                                                    \
  X(bookmarksN, "Bookmarks ({})", "书签（{}）")                                                        \
  X(speedEvents, "%.2f ev/s", "%.2f 事件/秒")                                                          \
  X(speedMs, "%.2f ms/s", "%.2f 毫秒/秒")                                                              \
  X(tipSpeedReal, "real time: trace milliseconds played per second, gaps kept",                        \
    "实时：每秒播放的轨迹毫秒数，保留间隔")                                                            \
  X(tipSpeedEvents, "events per second", "每秒事件数")                                                 \
  X(realTime, "real time", "实时速度")                                                                 \
  X(saveView, "Save view...", "保存视图...")                                                           \
  X(savePicture, "Save picture", "保存图片")                                                           \
  X(copyView, "Copy view", "复制视图")                                                                 \
  X(scrubEvent, "event %d", "事件 %d")                                                                 \
  X(liveWaiting, "Live: waiting for the engine's first event.", "实时：等待引擎的第一个事件。")        \
  X(beforeFirstEvent, "Before the first event. Press space to play, or the arrow keys to step.",        \
    "在第一个事件之前。按空格播放，或按方向键单步。")                                                  \
  X(bpStopAt, "Stop playback at an event...", "在事件处停止播放……")                                    \
  X(bpOn, "on", "条件")                                                                                \
  X(bpChoices, "of kind\0of goroutine G\0on fd\0moving rg/wg to\0moving a G to status\0",              \
    "某种事件\0某个 goroutine G\0某个 fd\0rg/wg 变为\0G 的状态变为\0")                                  \
  X(bpKind, "kind", "种类")                                                                            \
  X(bpGoroutineId, "goroutine id", "goroutine 编号")                                                   \
  X(bpFd, "fd", "fd")                                                                                  \
  X(bpState, "state", "状态")                                                                          \
  X(bpStatus, "status", "状态 ")                                                                       \
  X(bpAdd, "Add", "添加")                                                                              \
  X(bpNone, "no breakpoints", "没有断点")                                                              \
  X(bpRemove, "remove", "删除")                                                                        \
  X(bmLabel, "label (optional)", "标签（可选）")                                                       \
  X(bmAdd, "Bookmark this event", "给此事件加书签")                                                    \
  X(bmNone, "no bookmarks (B toggles one at the cursor)", "没有书签（按 B 在当前位置添加或删除）")    \
  /* presenter, classroom */                                                                           \
  X(langEnglish, "English", "English")                                                                 \
  X(langChinese, "Chinese", "中文")                                                                    \
  X(themeDark, "Dark", "深色")                                                                         \
  X(themeLight, "Light", "浅色")                                                                       \
  X(code, "Code", "代码")                                                                              \
  X(exitPresenter, "Exit", "退出")                                                                     \
  X(pressRight, "Press the right arrow to begin", "按 → 开始")                                         \
  X(noEventCode, "No event: step forward to see the code behind it.", "没有事件：向前一步即可看到背后的代码。") \
  X(mirrorsGo, "mirrors Go's {}", "对应的 Go 函数：{}")                                                \
  X(noSourceFor, "(this build has no source for {})", "（此版本没有 {} 的源代码）")                    \
  X(questions, "Questions", "问题")                                                                    \
  /* welcome */                                                                                        \
  X(welcome, "pollscope: see Go's network poller work, one event at a time.",                          \
    "pollscope：一个事件一个事件地观察 Go 网络轮询器的工作。")                                         \
  X(welcomeOpen, "Open a trace (File > Open, Ctrl+O, or drop a file on the window), or run a scenario live.", \
    "打开轨迹（文件 > 打开，Ctrl+O，或把文件拖到窗口上），或实时运行一个场景。")                       \
  /* sequence view */                                                                                  \
  X(follow, "follow", "跟随")                                                                          \
  X(zoom, "zoom", "缩放")                                                                              \
  X(seqHint, "Ctrl+wheel zooms; click a group's name to fold it, a goroutine to select it, a message to go there", \
    "Ctrl+滚轮缩放；点击分组名折叠它，点击 goroutine 选中它，点击消息跳转到那里")                     \
  X(groupUser, "user code", "用户代码")                                                                \
  X(groupRuntime, "Go runtime", "Go 运行时")                                                           \
  X(groupKernel, "kernel", "内核")                                                                     \
  X(layerPoll, "poll", "轮询")                                                                         \
  X(layerSched, "scheduler", "调度器")                                                                 \
  /* state view */                                                                                     \
  X(pollDesc, "pollDesc", "pollDesc")                                                                  \
  X(none, "none", "无")                                                                                \
  X(rgRead, "rg (read)", "rg（读）")                                                                   \
  X(wgWrite, "wg (write)", "wg（写）")                                                                 \
  X(goroutine, "goroutine", "goroutine")                                                               \
  X(noGoroutine, "no goroutine selected", "未选择 goroutine")                                          \
  X(gParked, "G{} parked", "G{} 已挂起")                                                               \
  X(stGParked, "G (parked)", "G（已挂起）")                                                            \
  X(stPdNil, "pdNil", "pdNil")                                                                         \
  X(stPdWait, "pdWait", "pdWait")                                                                      \
  X(stPdReady, "pdReady", "pdReady")                                                                   \
  X(stGidle, "_Gidle", "_Gidle")                                                                       \
  X(stGrunnable, "_Grunnable", "_Grunnable")                                                           \
  X(stGrunning, "_Grunning", "_Grunning")                                                              \
  X(stGwaiting, "_Gwaiting", "_Gwaiting")                                                              \
  X(stGdead, "_Gdead", "_Gdead")                                                                       \
  X(edgeNewproc, "newproc1", "newproc1")                                                               \
  X(edgeExecute, "execute", "execute")                                                                 \
  X(edgeGopark, "gopark", "gopark")                                                                    \
  X(edgeGoready, "goready", "goready")                                                                 \
  X(edgeGosched, "gosched", "gosched")                                                                 \
  X(edgeGoexit, "goexit0", "goexit0")                                                                  \
  X(edgePrepare, "netpollblock\n(prepare)", "netpollblock\n（准备）")                                     \
  X(edgeCommit, "netpollblockcommit", "netpollblockcommit")                                            \
  X(edgeUnblock, "netpollunblock(io)", "netpollunblock(io)")                                           \
  X(edgeConsume, "netpollblock", "netpollblock")                       \
  X(edgeNobody, "netpollunblock(io)\nnobody waits", "netpollunblock(io)\n无人等待")                    \
  X(edgeWhileWait, "event\nwhile pdWait", "pdWait 期间\n来了事件")                                        \
  X(edgeTimeout, "timeout / close", "超时 / 关闭")                                                     \
  X(everyPd, "every pollDesc at this event (netpollWaiters = {}):", "此事件时的每个 pollDesc（netpollWaiters = {}）：") \
  /* timeline */                                                                                       \
  /* table, details */                                                                                 \
  X(searchHint, "search: kind, g3, fd=7, pdReady, words...", "搜索：种类、g3、fd=7、pdReady、词语……")   \
  X(nOfMatch, "{} of {} events match", "{} / {} 个事件匹配")                                           \
  X(nEvents, "{} events", "{} 个事件")                                                                 \
  X(colSeq, "seq", "序号")                                                                             \
  X(colKind, "kind", "种类")                                                                           \
  X(colWhat, "what happened", "发生了什么")                                                            \
  X(colGoFunc, "Go function", "Go 函数")                                                               \
  X(noEventYet, "No event yet: step forward.", "还没有事件：向前一步。")                                \
  X(eventHeader, "event #{}: {}", "事件 #{}：{}")                                                      \
  X(layerAt, "layer {}, at {:.3f} ms", "层 {}，{:.3f} 毫秒")                                           \
  X(colField, "field", "字段")                                                                         \
  X(colValue, "value", "值")                                                                           \
  X(scheduler, "g0 (scheduler)", "g0（调度器）")                                                       \
  X(goColon, "Go: {}", "Go：{}")                                                                       \
  X(engineAt, "engine: {}:{}", "引擎：{}:{}")                                                          \
  X(inFunc, "in {}", "位于 {}")                                                                        \
  X(noSource, "no source location recorded", "没有记录源代码位置")                                     \
  /* views */                                                                                          \
  X(viewSequence, "Sequence", "时序图")                                                                \
  X(viewState, "State", "状态机")                                                                      \
  X(viewTimeline, "Timeline", "时间线")                                                                \
  X(viewTable, "Events", "事件表")                                                                     \
  /* side by side */                                                                                   \
  X(compareToAligned, "Aligned event", "对齐的事件")                                                   \
  X(compareOffset, "{:+} events from it", "距它 {:+} 个事件")                                          \
  X(compareAlignOn, "aligned on", "对齐于")                                                            \
  X(alignEagain, "the read's first EAGAIN", "读操作的第一次 EAGAIN")                                   \
  X(alignRead, "the first Read call", "第一次调用 Read")                                               \
  X(alignReadReturn, "the first Read's return", "第一次 Read 返回")                                    \
  X(alignStart, "the first event", "第一个事件")                                                            \
  X(compareClose, "Close", "关闭")                                                                     \
  X(compareEventOf, "aligned {}{}: event {} of {}", "对齐 {}{}：第 {} / {} 个事件") \
  /* lecture hall: the current event, the failed commit, M lanes, fit */ \
  X(nowColon, "now: ", "现在：") \
  X(commitFails, "commit fails: the event got there first", "提交失败：事件先到了") \
  X(parkAborted, "park aborted", "放弃挂起") \
  X(runsOnAtOnce, "runs on at once", "立即继续运行") \
  X(fitZ, "fit (Z)", "适应屏幕 (Z)") \
  X(mLanesM, "M lanes (M)", "M 泳道 (M)") \
  X(threadsM, "threads (M)", "线程 (M)") \
  X(epollAsleep, "epoll_wait (asleep)", "epoll_wait（睡眠中）") \
  X(hintLiveStart, "\u2192 steps the engine, Space plays", "→ 让引擎走一步，空格键播放") \
  X(menuNextVisible, "Next visible step", "下一个可见步骤") \
  X(menuFit, "Sequence: fit to screen", "时序图：适应屏幕") \
  X(menuThreadLanes, "Sequence: M (thread) lanes", "时序图：M（线程）泳道") \
  X(menuReplayGolden, "Replay a golden trace", "回放标准轨迹") \
  X(menuRevealNext, "Reveal the next answer", "显示下一个答案") \
  X(menuBackToSlide, "Back to the slide's event", "回到幻灯片的事件") \
  X(slideTextHidden, "   (H: the slide's text)", "   （按 H 显示幻灯片文字）") \
  X(revealHint, "A reveals the next answer (for the teacher); after the last, A hides them", "按 A 逐一显示答案（教师用）；最后一个之后，再按 A 隐藏") \
  X(offSlide, "off slide: showing event {}, the slide is at {}. Backspace goes back", "离开幻灯片：显示事件 {}，幻灯片在 {}。按退格键返回") \
  X(welcomeOpenWeb, "Open a trace (File > Open, Ctrl+O, or drop a file on the page), or replay a golden trace.", "打开轨迹（文件 > 打开，Ctrl+O，或把文件拖到页面上），或回放一个标准轨迹。") \
  X(welcomeStartHere, "Start here: the lessons, in order (F5 for presenter mode, L for Chinese):", "从这里开始：按顺序学习课程（F5 演示模式，L 切换中文）：") \
  X(welcomeScenarios, "Scenarios, simplest first:", "场景，从最简单的开始：") \
  X(startHere, "start here: {}", "从这里开始：{}") \
  X(timelineHint, "click a lane's name to select it, the lanes to seek", "点击泳道名选中，点击泳道跳转") \
  X(legendGoroutines, "goroutines:", "goroutine：") \
  X(legendSems, "rg/wg:", "rg/wg：") \
  X(legendNetpoll, "netpoll:", "netpoll：") \
  X(legendRunning, "running", "运行") \
  X(legendRunnable, "runnable", "可运行") \
  X(legendWaiting, "waiting", "等待") \
  X(legendPdWait, "pdWait", "pdWait") \
  X(legendGParked, "G parked", "G 挂起") \
  X(legendPdReady, "pdReady", "pdReady") \
  X(legendBlockingPoll, "blocking poll", "阻塞轮询") \
  X(legendNonBlockingPoll, "non-blocking poll", "非阻塞轮询") \
  X(legendNow, "now", "现在") \
  /* the code panel's tabs */ \
  X(goProgramTitle, "the scenario as a Go program", "场景对应的 Go 程序") \
  X(tabEngine, "Engine C++", "引擎 C++")
// clang-format on

#define PS_UI_ENUMERATOR(id, en, zh) id,
enum class Ui { PS_UI_TEXTS(PS_UI_ENUMERATOR) count_ };
#undef PS_UI_ENUMERATOR

struct UiText {
  Ui id;
  const char* en;
  const char* zh;
};

#define PS_UI_ROW(id, en, zh) {Ui::id, en, zh},
inline constexpr UiText kUiTexts[] = {PS_UI_TEXTS(PS_UI_ROW)};
#undef PS_UI_ROW

static_assert(table_rows::oneRowPerEnumerator(kUiTexts, &UiText::id, static_cast<Ui>(static_cast<int>(Ui::count_) - 1)),
              "kUiTexts: one row per Ui, in the enum's order");
namespace ui_text_checks {
constexpr bool everyRowTranslated() {
  for (const auto& row : kUiTexts)
    if (!row.zh || !*row.zh || !row.en || !*row.en) return false;
  return true;
}
}  // namespace ui_text_checks
static_assert(ui_text_checks::everyRowTranslated(), "kUiTexts: a row lacks its English or its Chinese");

constexpr const char* uiText(Ui id, analysis::Lang l) {
  const UiText& row = kUiTexts[static_cast<size_t>(id)];
  return l == analysis::Lang::zh ? row.zh : row.en;
}

}  // namespace pollscope::viz
