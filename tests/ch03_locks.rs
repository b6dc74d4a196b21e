//! Chapter 3 — locks. `cargo test --test ch03_locks [EXERCISE]`.
//!
//! Each module is one exercise; `loom_*` tests model-check the exercise file itself. Where a
//! bug only shows in some interleavings (a lost update, a lock-order deadlock, lines cut
//! into each other), the loom check is the grader: it tries every interleaving, so it fails
//! the broken code on every run, while a plain threaded test would pass whenever the
//! scheduler happened to be kind.

use std::sync::Arc;

use proptest::prelude::*;

use grader::check_property;

use grader::loom_check;

grader::chapter!(ch03_locks);

mod balance {
    use super::*;
    use crate::ch03_locks::balance::Account;

    /// Single-threaded: `update` runs `f` on the balance and returns what `f` returns.
    #[test]
    fn update_applies_every_change_and_returns_fs_value() {
        check_property(
            "update with random changes on one thread to return",
            32,
            (-1000i64..1000, prop::collection::vec(-1000i64..1000, 0..20)),
            |(start, changes)| {
                let account = Account::new(start);
                let mut expected = start;
                for change in changes {
                    expected += change;
                    let seen = account.update(|balance| {
                        *balance += change;
                        *balance
                    });
                    prop_assert_eq!(seen, expected, "update returns what f returns");
                }
                prop_assert_eq!(account.balance(), expected);
                Ok(())
            },
        );
    }

    /// Loom: the seed's program, one round per thread. On the racy account there is an
    /// interleaving where one thread's store overwrites the other's: loom finds it.
    #[test]
    fn loom_change_it_from_two_threads_keeps_the_balance_at_zero() {
        loom_check("balance::Account::change_it", || {
            use crate::model::balance::Account;
            use crate::model::sync::{thread, Arc};
            let account = Arc::new(Account::new(0));
            let other = {
                let account = account.clone();
                thread::spawn(move || account.change_it(8))
            };
            account.change_it(5);
            other.join().unwrap();
            let balance = account.balance();
            assert_eq!(
                balance, 0,
                "change_it(5) and change_it(8) on two threads left the balance at \
                 {balance}, not 0: an update was lost. Read, change and write the \
                 balance under one lock"
            );
        });
    }

    /// Loom: two deposits from two threads both end up in the balance.
    #[test]
    fn loom_no_deposit_is_lost() {
        loom_check("balance::Account::deposit", || {
            use crate::model::balance::Account;
            use crate::model::sync::{thread, Arc};
            let account = Arc::new(Account::new(100));
            let other = {
                let account = account.clone();
                thread::spawn(move || account.deposit(1))
            };
            account.deposit(10);
            other.join().unwrap();
            let balance = account.balance();
            assert_eq!(
                balance, 111,
                "100 plus deposits of 10 and 1 from two threads left {balance}: a \
                 deposit was lost. Read the balance and write the sum with the lock \
                 held the whole time"
            );
        });
    }

    /// Loom: two read-change-writes through `update`; neither may see the balance while
    /// the other is half-way through its `f`.
    #[test]
    fn loom_update_is_exclusive() {
        loom_check("balance::Account::update", || {
            use crate::model::balance::Account;
            use crate::model::sync::{thread, Arc};
            let account = Arc::new(Account::new(0));
            let double_plus_one = |account: &Account| {
                account.update(|balance| {
                    let read = *balance;
                    *balance = read * 2 + 1;
                })
            };
            let other = {
                let account = account.clone();
                thread::spawn(move || double_plus_one(&account))
            };
            double_plus_one(&account);
            other.join().unwrap();
            let balance = account.balance();
            assert_eq!(
                balance, 3,
                "two updates `b = b * 2 + 1` from 0 gave {balance}, not 3: they \
                 overlapped. `update` must hold the lock while f runs and while its \
                 result is written back"
            );
        });
    }

    /// Loom: a reader on another thread while a thread runs `change_it(5)` sees the
    /// balance before or after, never with the 5 added and not yet taken away. (Both run
    /// on threads of their own: loom then tries the reader at every step of the change.)
    #[test]
    fn loom_nobody_sees_change_it_half_done() {
        loom_check(
            "balance::Account::change_it (seen from another thread)",
            || {
                use crate::model::balance::Account;
                use crate::model::sync::{thread, Arc};
                let account = Arc::new(Account::new(0));
                let changer = {
                    let account = account.clone();
                    thread::spawn(move || account.change_it(5))
                };
                let reader = {
                    let account = account.clone();
                    thread::spawn(move || account.balance())
                };
                changer.join().unwrap();
                let seen = reader.join().unwrap();
                assert_eq!(
                    seen, 0,
                    "another thread read the balance as {seen} in the middle of \
                     change_it(5): adding and taking away must be one step under one \
                     lock, not two"
                );
            },
        );
    }
}

mod transfer {
    use super::*;
    use crate::ch03_locks::transfer::{Bank, TransferError};

    /// What a transfer should do, computed on plain numbers: the model the bank must match.
    fn model_transfer(
        balances: &mut [u64],
        from: usize,
        to: usize,
        amount: u64,
    ) -> Result<(), TransferError> {
        let n = balances.len();
        for id in [from, to] {
            if id >= n {
                return Err(TransferError::NoSuchAccount(id));
            }
        }
        if from == to {
            return Err(TransferError::SameAccount(from));
        }
        if balances[from] < amount {
            return Err(TransferError::Insufficient {
                from,
                balance: balances[from],
                amount,
            });
        }
        balances[from] -= amount;
        balances[to] += amount;
        Ok(())
    }

    /// Random banks and random transfer lists (unknown accounts, too-large amounts, and a
    /// transfer from an account to itself at a random place in every list), run one after
    /// another on one thread: every result matches the model and no money appears or
    /// vanishes.
    #[test]
    fn every_transfer_matches_the_model_and_money_is_conserved() {
        let bank_and_transfers = prop::collection::vec(0u64..100, 2..5).prop_flat_map(|balances| {
            let n = balances.len();
            let transfer = (0..n + 1, 0..n + 1, 0u64..150);
            (
                Just(balances),
                prop::collection::vec(transfer, 0..24),
                0..n,
                any::<prop::sample::Index>(),
            )
        });
        check_property(
            "a random list of transfers on one thread to return (a thread that locks a \
             Mutex it already holds waits for itself forever)",
            48,
            bank_and_transfers,
            |(balances, mut transfers, own, at)| {
                let place = at.index(transfers.len() + 1);
                transfers.insert(place, (own, own, 1));
                let bank = Bank::new(&balances);
                let mut model = balances.clone();
                let total: u64 = balances.iter().sum();
                for (from, to, amount) in transfers {
                    let expected = model_transfer(&mut model, from, to, amount);
                    let got = bank.transfer(from, to, amount);
                    prop_assert_eq!(&got, &expected, "transfer({}, {}, {})", from, to, amount);
                    prop_assert_eq!(bank.balances(), model.clone());
                }
                prop_assert_eq!(bank.balances().iter().sum::<u64>(), total, "money changed");
                Ok(())
            },
        );
    }

    /// Unknown accounts first, then a transfer from an account to itself: each is its
    /// error, checked in that order, and none changes anything.
    #[test]
    fn a_transfer_to_itself_or_an_unknown_account_is_an_error_and_changes_nothing() {
        let (results, balances) = grader::watchdog(
            "transfers naming an unknown account, then transfer(1, 1, 5), to return (a \
             thread that locks a Mutex it already holds waits for itself forever: check \
             `from == to` before locking)",
            || {
                let bank = Bank::new(&[10, 20]);
                let results: Vec<_> = [(7, 7), (0, 9), (8, 1), (1, 1)]
                    .into_iter()
                    .map(|(from, to)| ((from, to), bank.transfer(from, to, 5)))
                    .collect();
                (results, bank.balances())
            },
        );
        for ((from, to), result) in results {
            let (expected, why) = match (from, to) {
                (1, 1) => (
                    TransferError::SameAccount(1),
                    "a transfer from an account to itself".to_owned(),
                ),
                _ => {
                    let unknown = if from >= 2 { from } else { to };
                    (
                        TransferError::NoSuchAccount(unknown),
                        format!(
                            "account {unknown} does not exist on a bank of 2 accounts, \
                             and that is checked first"
                        ),
                    )
                }
            };
            assert_eq!(result, Err(expected), "transfer({from}, {to}, 5): {why}");
        }
        assert_eq!(
            balances,
            vec![10, 20],
            "a failed transfer must change nothing"
        );
    }

    /// Loom: transfers in both directions at once. Taking `from` first and `to` second
    /// lets each thread hold one lock and wait for the other's: loom reports the deadlock.
    #[test]
    fn loom_opposite_transfers_never_deadlock_and_conserve_money() {
        loom_check("transfer::Bank::transfer", || {
            use crate::model::sync::{thread, Arc};
            use crate::model::transfer::Bank;
            let bank = Arc::new(Bank::new(&[10, 10]));
            let other = {
                let bank = bank.clone();
                thread::spawn(move || bank.transfer(1, 0, 4))
            };
            let mine = bank.transfer(0, 1, 3);
            let theirs = other.join().unwrap();
            assert_eq!(
                (mine, theirs),
                (Ok(()), Ok(())),
                "transfer(0, 1, 3) and transfer(1, 0, 4) on [10, 10] must both succeed"
            );
            assert_eq!(
                bank.balances(),
                vec![11, 9],
                "money went missing or appeared"
            );
        });
    }

    /// Loom: `balances` (every lock, in account order) runs while two transfers move
    /// money: it always sees all 20, never money in neither account or in both. A
    /// transfer that releases one lock before taking the other fails here, and so does
    /// one whose lock order disagrees with `balances` (a deadlock).
    #[test]
    fn loom_a_reader_during_the_transfers_sees_all_the_money() {
        loom_check("transfer::Bank::transfer (seen by balances)", || {
            use crate::model::sync::{thread, Arc};
            use crate::model::transfer::Bank;
            let bank = Arc::new(Bank::new(&[10, 10]));
            let mover = {
                let bank = bank.clone();
                thread::spawn(move || {
                    bank.transfer(0, 1, 3).unwrap();
                    bank.transfer(1, 0, 5).unwrap();
                })
            };
            let seen = bank.balances();
            mover.join().unwrap();
            let total: u64 = seen.iter().sum();
            assert_eq!(
                total, 20,
                "balances() saw {seen:?} while money moved: the total must always be \
                 20. Hold both accounts' locks while the money moves"
            );
        });
    }
}

mod reentrant {
    use super::*;
    use crate::ch03_locks::reentrant::Ledger;

    const RELOCK: &str = "(std's Mutex is not reentrant: a thread that locks it again while \
                          holding it waits for itself forever; lock once and pass the \
                          entries to helpers that do not lock)";

    #[test]
    fn record_all_records_every_amount_in_order() {
        check_property(
            &format!("record_all to return {RELOCK}"),
            32,
            (
                prop::collection::vec(-100i64..100, 0..5),
                prop::collection::vec(-100i64..100, 1..10),
            ),
            |(before, batch)| {
                let ledger = Ledger::new();
                for &amount in &before {
                    ledger.record(amount);
                }
                ledger.record_all(&batch);
                let expected: Vec<i64> = before.iter().chain(&batch).copied().collect();
                prop_assert_eq!(
                    ledger.balance(),
                    expected.iter().sum::<i64>(),
                    "balance() must be the sum of every entry"
                );
                prop_assert_eq!(
                    ledger.entries(),
                    expected,
                    "record_all must add every amount at the end, in order"
                );
                Ok(())
            },
        );
    }

    #[test]
    fn settle_replaces_the_entries_with_their_sum() {
        check_property(
            &format!("settle to return {RELOCK}"),
            32,
            prop::collection::vec(-100i64..100, 1..10),
            |amounts| {
                let ledger = Ledger::new();
                for &amount in &amounts {
                    ledger.record(amount);
                }
                let total: i64 = amounts.iter().sum();
                prop_assert_eq!(ledger.settle(), total, "settle must return the sum");
                prop_assert_eq!(
                    ledger.entries(),
                    vec![total],
                    "after settle the only entry is the sum"
                );
                Ok(())
            },
        );
    }

    /// Loom: while one thread records a batch of two, another looks: it sees none or all
    /// of the batch, never half.
    #[test]
    fn loom_record_all_is_one_batch() {
        loom_check("reentrant::Ledger::record_all", || {
            use crate::model::reentrant::Ledger;
            use crate::model::sync::{thread, Arc};
            let ledger = Arc::new(Ledger::new());
            let writer = {
                let ledger = ledger.clone();
                thread::spawn(move || ledger.record_all(&[5, 8]))
            };
            let seen = ledger.entries();
            writer.join().unwrap();
            assert!(
                seen.is_empty() || seen == [5, 8],
                "while record_all(&[5, 8]) ran, another thread saw {seen:?}: a batch \
                 is seen whole or not at all, so hold one lock for all of it"
            );
            assert_eq!(ledger.entries(), vec![5, 8], "record_all lost an amount");
        });
    }

    /// Loom: a `record` racing a `settle` is either settled or comes after: never lost.
    #[test]
    fn loom_settle_loses_no_record() {
        loom_check("reentrant::Ledger::settle", || {
            use crate::model::reentrant::Ledger;
            use crate::model::sync::{thread, Arc};
            let ledger = Arc::new(Ledger::new());
            ledger.record(1);
            ledger.record(2);
            let recorder = {
                let ledger = ledger.clone();
                thread::spawn(move || ledger.record(3))
            };
            let settled = ledger.settle();
            recorder.join().unwrap();
            let entries = ledger.entries();
            assert!(
                (settled == 6 && entries == [6]) || (settled == 3 && entries == [3, 3]),
                "entries [1, 2], then settle() racing record(3): settle returned \
                 {settled} and left {entries:?}. Either the 3 is in the sum ([6]) or \
                 it comes after it ([3, 3]); settle must read and replace under one \
                 lock"
            );
        });
    }
}

mod printing {
    use super::*;
    use crate::ch03_locks::printing::{print_from_threads, PrintError, Printer};
    use std::io::{self, Write};
    use std::sync::Mutex;

    /// A writer that remembers every single `write` call it receives, in order.
    #[derive(Debug, Default, Clone)]
    struct Recorder {
        calls: Arc<Mutex<Vec<Vec<u8>>>>,
    }

    impl Recorder {
        fn calls(&self) -> Vec<String> {
            let calls = self.calls.lock().unwrap();
            calls
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect()
        }
    }

    impl Write for Recorder {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.calls.lock().unwrap().push(buf.to_vec());
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Every write call the writer got must be exactly one whole line.
    fn assert_whole_lines(calls: &[String]) {
        for call in calls {
            assert!(
                call.ends_with('\n') && call.matches('\n').count() == 1,
                "the writer got {call:?} in one write call: every call must carry exactly \
                 one whole line (build the line first, then write it at once); the first \
                 calls: {:?}",
                &calls[..calls.len().min(8)]
            );
        }
    }

    #[test]
    fn a_line_reaches_the_writer_in_one_write_call() {
        let recorder = Recorder::default();
        let printer = Printer::new(recorder.clone());
        grader::watchdog(
            "print_line(\"Willard\", \"Hello Num: 7\") to return",
            move || printer.print_line("Willard", "Hello Num: 7"),
        )
        .expect("print_line failed");
        let calls = recorder.calls();
        assert_whole_lines(&calls);
        assert_eq!(
            calls,
            vec!["Willard: Hello Num: 7\n"],
            "print_line(\"Willard\", \"Hello Num: 7\") must write `who: message` and a \
             newline"
        );
    }

    /// Four threads, 25 lines each, one shared writer: every line arrives whole, exactly once.
    #[test]
    fn lines_from_many_threads_arrive_whole() {
        let recorder = Recorder::default();
        let printer = Arc::new(Printer::new(recorder.clone()));
        grader::watchdog("4 threads printing 25 lines each to finish", move || {
            print_from_threads(printer, 4, 25)
        })
        .expect("print_from_threads failed");
        let mut calls = recorder.calls();
        assert_whole_lines(&calls);
        calls.sort();
        let mut expected: Vec<String> = (0..4)
            .flat_map(|w| (0..25).map(move |i| format!("worker-{w}: line {i}\n")))
            .collect();
        expected.sort();
        assert_eq!(
            calls, expected,
            "every line of every thread must arrive exactly once"
        );
    }

    #[test]
    fn a_newline_inside_a_line_is_an_error_and_nothing_is_written() {
        let recorder = Recorder::default();
        let printer = Printer::new(recorder.clone());
        let (message, who) = grader::watchdog(
            "print_line with a newline in the message or in `who` to return",
            move || {
                (
                    printer.print_line("bob", "two\nlines"),
                    printer.print_line("b\nob", "one line"),
                )
            },
        );
        for (call, result) in [
            ("print_line(\"bob\", \"two\\nlines\")", message),
            ("print_line(\"b\\nob\", \"one line\")", who),
        ] {
            assert!(
                matches!(result, Err(PrintError::Newline(_))),
                "{call} must be Err(PrintError::Newline(..)), got {result:?}"
            );
        }
        assert_eq!(
            recorder.calls(),
            Vec::<String>::new(),
            "a line with a newline inside is refused before anything is written"
        );
    }

    /// Loom: two threads print one line each into a shared buffer; in every interleaving
    /// the bytes read as two whole lines.
    #[test]
    fn loom_two_threads_never_cut_into_each_others_line() {
        loom_check("printing::Printer::print_line", || {
            use crate::model::printing::Printer;
            use crate::model::sync::{thread, Arc};
            let printer = Arc::new(Printer::new(Vec::new()));
            let other = {
                let printer = printer.clone();
                thread::spawn(move || printer.print_line("b", "yy").unwrap())
            };
            printer.print_line("a", "xx").unwrap();
            other.join().unwrap();
            let printer = Arc::try_unwrap(printer).expect("both threads are done");
            let out = String::from_utf8(printer.into_inner()).unwrap();
            assert!(
                out == "a: xx\nb: yy\n" || out == "b: yy\na: xx\n",
                "the lines were cut into each other: {out:?}"
            );
        });
    }
}
