//! Progress on stderr while a replay runs: a bar (indicatif) when stderr is a terminal, plain
//! lines every 10 % or 10 s when it is not (a CI log), or nothing. Stdout carries only the
//! summary, as the reference's does.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// A bar on a terminal, lines otherwise.
    Auto,
    Bar,
    Lines,
    None,
}

const LINE_EVERY: Duration = Duration::from_secs(10);

pub struct Progress {
    total: usize,
    done: usize,
    passed: usize,
    started: Instant,
    bar: Option<ProgressBar>,
    lines: bool,
    last_line: Instant,
    last_tenth: usize,
}

impl Progress {
    pub fn new(mode: Mode, total: usize) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bar = matches!(mode, Mode::Bar) || (mode == Mode::Auto && terminal);
        let bar = bar.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} cases  {per_sec}  {elapsed_precise} (eta {eta})  {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        let now = Instant::now();
        Self {
            total,
            done: 0,
            passed: 0,
            started: now,
            lines: bar.is_none() && mode != Mode::None,
            bar,
            last_line: now,
            last_tenth: 0,
        }
    }

    /// One more case finished.
    pub fn tick(&mut self, passed: bool) {
        self.done += 1;
        self.passed += usize::from(passed);
        if let Some(bar) = &self.bar {
            bar.set_position(self.done as u64);
            bar.set_message(format!("{} passed", self.passed));
            return;
        }
        if !self.lines {
            return;
        }
        let tenth = (self.done * 10).checked_div(self.total).unwrap_or(10);
        if tenth > self.last_tenth || self.last_line.elapsed() >= LINE_EVERY {
            self.last_tenth = tenth;
            self.last_line = Instant::now();
            self.line();
        }
    }

    fn line(&self) {
        let percent = (self.done * 100).checked_div(self.total).unwrap_or(100);
        eprintln!(
            "greenlight replay: {}/{} cases ({percent} %), {} passed, {:.1} s",
            self.done,
            self.total,
            self.passed,
            self.started.elapsed().as_secs_f64()
        );
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if self.lines
            && self.done > 0
            && (self.done * 10).checked_div(self.total) != Some(self.last_tenth)
        {
            self.line();
        }
    }
}
