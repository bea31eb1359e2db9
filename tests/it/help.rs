//! The command line speaks Chinese (issue 27): every command's `--help`, and
//! clap's usage errors, with what to run next; no English of clap's left.

use crate::common::{bin, stderr};

const COMMANDS: &[&[&str]] = &[
    &[],
    &["init"],
    &["build"],
    &["check"],
    &["serve"],
    &["new"],
    &["new", "month"],
    &["import"],
    &["upload"],
];

#[test]
fn every_help_is_in_chinese() {
    for cmd in COMMANDS {
        let out = bin().args(*cmd).arg("--help").output().unwrap();
        assert!(out.status.success(), "{cmd:?}: {}", stderr(&out));
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(help.contains("用法："), "{cmd:?}:\n{help}");
        assert!(help.contains("显示帮助"), "{cmd:?}:\n{help}");
        for english in [
            "Usage:",
            "Options:",
            "Arguments:",
            "Commands:",
            "Print help",
            "[default:",
        ] {
            assert!(!help.contains(english), "{cmd:?} says {english:?}:\n{help}");
        }
        // Every flag is explained, and in Chinese (the short help: one line each).
        let short = bin().args(*cmd).arg("-h").output().unwrap();
        let short = String::from_utf8_lossy(&short.stdout);
        for line in short.lines().filter(|l| l.trim_start().starts_with("--")) {
            assert!(
                line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{cmd:?}: {line}"
            );
        }
    }
}

#[test]
fn usage_errors_are_in_chinese_and_exit_2() {
    for (args, says) in [
        (&["new", "month", "2020-8"][..], "月份应写成 YYYY-MM"),
        (&["biuld"][..], "没有 biuld 这个命令；是不是要写"),
        (
            &["build", "--ouput", "x"][..],
            "不认识的参数 --ouput；是不是要写 --output",
        ),
        (&["import"][..], "缺少必须给出的参数"),
        (&["serve", "--port", "七"][..], "的值“七”无效"),
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(err.contains("--help"), "{args:?}: {err}");
        assert!(!err.contains("For more information"), "{args:?}: {err}");
    }
}
