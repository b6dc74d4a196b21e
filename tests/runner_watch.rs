//! `watch` reacts to saves only: idle, it runs no check and uses no CPU; one save runs
//! exactly one check, of the exercise saved.

mod runner_support;

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use runner_support::*;

/// CPU time used so far by process `pid`, in clock ticks (utime + stime).
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = &stat[stat.rfind(')').map_or(0, |i| i + 1)..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn watch_idle_runs_no_check_and_one_save_runs_exactly_one() {
    let scratch = Scratch::new("watch");
    let mut watch = grader::Reaper(
        scratch
            .runner_process()
            .args(["watch", "zombie"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let (tx, lines) = mpsc::channel();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let verdicts = |seen: &[String]| {
        seen.iter()
            .filter(|l| l.contains("ch10_interview::zombie: "))
            .count()
    };
    let mut seen: Vec<String> = Vec::new();
    let wait_for = |what: &str, within: Duration, seen: &mut Vec<String>| -> bool {
        let deadline = Instant::now() + within;
        while let Ok(line) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            let found = line.contains(what);
            seen.push(line);
            if found {
                return true;
            }
        }
        false
    };
    if SOLVED {
        // Every solution passes: watch checks each in turn and ends. A check that fails
        // makes it wait for a save: that fails the test at once, with what it printed.
        let deadline = Instant::now() + Duration::from_secs(600);
        while let Ok(line) = lines.recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            let (done, failed) = (
                line.contains("every exercise is done"),
                line.contains("save the file"),
            );
            seen.push(line);
            assert!(
                !failed,
                "a solution failed its check under watch:\n{seen:#?}"
            );
            if done {
                return;
            }
        }
        panic!("watch did not end within 600 s:\n{seen:#?}");
    }
    assert!(
        wait_for("save the file", Duration::from_secs(60), &mut seen),
        "{seen:#?}"
    );
    if seen.iter().any(|l| l.contains("manual mode")) {
        eprintln!("no file events on this file system: nothing to test here");
        return;
    }
    let at_start = verdicts(&seen);

    // Thirty idle seconds: no check, next to no CPU.
    let ticks = cpu_ticks(watch.id());
    assert!(!wait_for(
        "ch10_interview::zombie: ",
        Duration::from_secs(30),
        &mut seen
    ));
    assert_eq!(verdicts(&seen), at_start, "no save, no check:\n{seen:#?}");
    let used = cpu_ticks(watch.id()) - ticks;
    assert!(used < 50, "watch used {used} clock ticks of CPU while idle");

    // One save: exactly one check, of the saved exercise.
    let zombie = format!("{TREE}/ch10_interview/zombie.rs");
    let text = scratch.read(&zombie);
    scratch.write(&zombie, &format!("{text}\n// saved\n"));
    assert!(
        wait_for(
            "ch10_interview::zombie: ",
            Duration::from_secs(400),
            &mut seen
        ),
        "{seen:#?}"
    );
    assert!(
        wait_for("save the file", Duration::from_secs(60), &mut seen),
        "{seen:#?}"
    );
    // Its own build read every file: that is no save.
    assert!(!wait_for(
        "ch10_interview::zombie: ",
        Duration::from_secs(3),
        &mut seen
    ));
    assert_eq!(
        verdicts(&seen),
        at_start + 1,
        "one save, one check:\n{seen:#?}"
    );

    watch.stdin.as_mut().unwrap().write_all(b"q\n").unwrap();
    assert!(
        wait_for("bye", Duration::from_secs(20), &mut seen),
        "{seen:#?}"
    );
}
