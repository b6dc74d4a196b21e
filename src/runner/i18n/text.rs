//! Every message of the learner's commands, in English and in Simplified Chinese.
//!
//! Terms: 练习 (exercise), 章 (chapter), 测试 (test), 通过 (passed), 未通过 (failing),
//! 无法编译 (does not compile), 未开始 (not started), 提示 (hint), 参考答案 (solution),
//! 测验 (quiz), 下一个 (next).

use super::Msg;

macro_rules! messages {
    ($($name:ident = $en:literal, $zh:literal;)*) => {
        $(pub const $name: Msg = Msg { en: $en, zh: $zh };)*
        /// Every message, for the tests.
        #[cfg(test)]
        pub const ALL: &[Msg] = &[$($name),*];
    };
}

messages! {
    // what an exercise's state is (`list`, `next`, `watch`)
    DONE = "done", "通过";
    FAILING = "failing", "未通过";
    NOT_STARTED = "not started", "未开始";
    // the leading words of errors and warnings
    ERROR = "error:", "错误：";
    REFUSED = "refused:", "已拒绝：";
    WARNING = "warning: {0}", "警告：{0}";
    NO_CHAPTER = "no chapter `{0}`", "没有名为 `{0}` 的章";
    NO_CHAPTER_OF = "no chapter `{0}`; chapters are: {1}", "没有名为 `{0}` 的章；现有的章：{1}";
    NO_EXERCISE = "no exercise called `{0}`{1}", "没有名为 `{0}` 的练习{1}";
    DID_YOU_MEAN = "; did you mean: {0}?", "；你要找的是不是：{0}？";
    LIST_SHOWS_ALL = "; `cargo run -- list` shows them all", "；`cargo run -- list` 会列出全部练习";
    AMBIGUOUS = "`{0}` could be any of: {1}; say which with its chapter",
        "`{0}` 可能是以下任意一个：{1}；请连同章名一起写明";
    NO_PROGRAM = "no program called `{0}`; there are: {1}", "没有名为 `{0}` 的程序；现有的程序：{1}";
    CANNOT_READ = "cannot read {0}: {1}", "无法读取 {0}: {1}";
    CANNOT_WRITE = "cannot write {0}: {1}", "无法写入 {0}: {1}";
    // `list`
    DOES_NOT_COMPILE_BECAUSE = "  does not compile: {0}", "  无法编译：{0}";
    OVERALL = "overall", "总计";
    EXERCISES_DONE = "{0}/{1} exercises done", "已通过 {0}/{1} 个练习";
    LIST_NEXT = "next: {0}  ({1}; `cargo run -- next` shows what to do)",
        "下一个：{0}  （{1}；`cargo run -- next` 会说明要做什么）";
    ALL_DONE = "every exercise is done!", "所有练习都已通过！";
    ALL_DONE_QUIZ = "every exercise is done! Try `cargo run -- quiz`.",
        "所有练习都已通过！试试 `cargo run -- quiz` 测验。";
    // `next`
    NEXT = "next: {0} ({1})", "下一个：{0}（{1}）";
    FILE = "file: {0}", "文件：{0}";
    GRADED_BY = "graded by: {0}", "评分命令：{0}";
    CHECK_IT = "check it: cargo run -- check {0}   hints: cargo run -- hint {0}\n",
        "检查：cargo run -- check {0}   提示：cargo run -- hint {0}\n";
    NO_INSTRUCTIONS = "(no instructions found at the top of {0})", "（{0} 的开头没有找到说明）";
    // `check` (and `watch`): the verdict
    CODE_DOES_NOT_COMPILE = "the code does not compile", "代码无法编译";
    CHAPTER_DOES_NOT_COMPILE = "{0} does not compile", "{0} 无法编译";
    FULL_OUTPUT = "full output: {0}", "完整输出：{0}";
    NO_TESTS_RAN = "{0}: no tests ran", "{0}：没有运行任何测试";
    LOOM_CHECKS = ", loom checks {0}/{1}", "，loom 检查 {0}/{1}";
    ALL_PASS = "{0}: all {1} tests pass{2}", "{0}：全部 {1} 个测试通过{2}";
    SOME_PASS = "{0}: {1} of {2} tests pass{3}", "{0}：{2} 个测试中通过 {1} 个{3}";
    FAILED = "  failed: {0}", "  未通过：{0}";
    LOOM_WRONG = "loom tried every interleaving of the threads: this one goes wrong",
        "loom 尝试了线程的每一种交错：这一种会出错";
    ALSO_FAILING = "  also failing: {0}", "  同样未通过：{0}";
    FULL_OUTPUT_HINTS = "full output: {0}   hints: cargo run -- hint {1}",
        "完整输出：{0}   提示：cargo run -- hint {1}";
    // `solution`
    SOLUTION_NEEDS_YES = "showing the solution needs a yes: run `cargo run -- solution {0} --yes` \
        (standard input is not a terminal, so the runner cannot ask)",
        "显示参考答案需要你确认：请运行 `cargo run -- solution {0} --yes`\
        （标准输入不是终端，运行器无法询问）";
    SOLUTION_ASK = "Show the reference solution of {0}? Trying first teaches more. [y/N] ",
        "显示 {0} 的参考答案吗？自己先试试，学到的更多。[y/N] ";
    NOT_SHOWN = "not shown.", "未显示。";
    // `reset`
    CANNOT_RESET = "cannot reset {0}: {1}", "无法重置 {0}: {1}";
    ALREADY_PRISTINE = "{0} is already pristine; nothing changed", "{0} 已经是原始版本，没有改动";
    SAVED_IN = "your version is saved in {0}", "你的版本已保存在 {0}";
    CANNOT_SAVE = "cannot save your version to {0} ({1}); nothing was reset",
        "无法把你的版本保存到 {0}（{1}），没有重置任何文件";
    RESET = "reset:", "已重置：";
    PRISTINE_AGAIN = "{0} is pristine again", "{0} 已恢复为原始版本";
    // `hint`
    NO_HINTS = "{0} has no `## Hints` section; read the page itself",
        "{0} 没有 `## Hints` 一节；请直接阅读这一页";
    HINTS_FOR = "Hints for", "提示";
    HINT_OF = "Hint {0} of {1}", "提示 {0}/{1}";
    STUCK_STILL = "stuck still? `cargo run -- hint {0}` again shows the next one ({1} more)",
        "还是卡住了？再运行一次 `cargo run -- hint {0}` 会显示下一个提示（还有 {1} 个）";
    LAST_HINT = "that was the last hint", "这是最后一个提示";
    HINTS_NOT_REMEMBERED = "warning: cannot remember the hints shown ({0}: {1})",
        "警告：无法记下已显示的提示（{0}: {1}）";
    // `quiz`
    NO_QUESTIONS = "no interview questions found", "没有找到面试题";
    DRILL = "Interview drill:", "面试题测验：";
    DRILL_INTRO = "{0} questions{1}. Answer in your head, then press Enter for the model answer.",
        "共 {0} 题{1}。先在心里作答，再按 Enter 查看参考回答。";
    MISSED_FIRST = ", the {0} you did not know last time first", "，上次不会的 {0} 题排在最前";
    ASK_ANSWER = "[Enter] show the answer · [s] skip · [q] quit >",
        "[Enter] 显示回答 · [s] 跳过 · [q] 退出 >";
    ASK_KNEW = "[y] I knew it · [n] I did not · [q] quit >", "[y] 我会 · [n] 我不会 · [q] 退出 >";
    ASK_KNEW_PROOF = "[p] the proving test · [y] I knew it · [n] I did not · [q] quit >",
        "[p] 证明它的测试 · [y] 我会 · [n] 我不会 · [q] 退出 >";
    PROOF = "Proof:", "证明：";
    PROOF_IN = "{0} in {1}", "{1} 中的 {0}";
    SCORE = "Score:", "得分：";
    YOU_KNEW = "you knew {0} of the {1} you marked.", "你标记的 {1} 题中会 {0} 题。";
    REVIEW = "Review {0}: the next `cargo run -- quiz` asks them first.",
        "复习 {0}：下次 `cargo run -- quiz` 会先问这些题。";
    QUIZ_NOT_REMEMBERED = "warning: cannot remember the quiz ({0}: {1})",
        "警告：无法记下测验结果（{0}: {1}）";
    BOOK_LINK = " (book: {0})", "（书中：{0}）";
    // `watch`
    NO_FILE_EVENTS = "file events unavailable ({0}): manual mode", "文件事件不可用（{0}）：改用手动模式";
    CANNOT_WATCH = "cannot watch {0} ({1}): manual mode", "无法监视 {0}（{1}）：改用手动模式";
    MOVING_ON = "moving on to {0}", "进入下一个练习：{0}";
    PRESS_ENTER = "press Enter to check again", "按 Enter 再检查一次";
    SAVE_OR_ENTER = "save the file to check again, or press Enter", "保存文件即可再检查一次，或按 Enter";
    EDITING = "editing {0} — {1}; q + Enter quits", "正在编辑 {0} — {1}；输入 q 再按 Enter 退出";
    IS_NOT_STARTED = "{0}: not started", "{0}：未开始";
    BYE = "bye — `cargo run -- watch` picks up where you left off",
        "再见 — 下次 `cargo run -- watch` 会从这里继续";
    // building and grading, on stderr
    BUILDING = "building {0}", "正在构建 {0}";
    GRADING = "grading {0}: {1} tests", "正在评分 {0}：共 {1} 个测试";
    TESTING = "testing {0}", "正在测试 {0}";
    N_EXERCISES = "{0} exercises", "{0} 个练习";
}
