//! `gongkai upload`: what to send to the portal since the last upload.

use std::path::PathBuf;

use clap::Args;
use gongkai::{Change, Result, upload};

/// 列出或打包自上次上传以来要发送到门户的文件（无论中间生成了几次）；上传完成后用 --done 标记。
#[derive(Args, Debug)]
pub struct UploadArgs {
    /// 输出文件夹（gongkai build 写入的那个）。
    #[arg(long, default_value = "public")]
    output: PathBuf,
    /// 把清单写到这个文件：每行 A（新增）、M（修改）或 D（删除）加路径。
    #[arg(long, value_name = "文件")]
    list: Option<PathBuf>,
    /// 把要上传的文件打成一个 zip（附删除清单），供门户的上传表单或 FTP 软件使用。
    #[arg(long, value_name = "文件.zip")]
    zip: Option<PathBuf>,
    /// 标记已经全部上传：下次从这里开始算。
    #[arg(long)]
    done: bool,
}

pub fn execute(args: UploadArgs) -> Result<()> {
    let pending = upload::pending(&args.output)?;
    let count = |c| pending.changes.iter().filter(|(k, _)| *k == c).count();
    let (a, m, d) = (
        count(Change::Added),
        count(Change::Modified),
        count(Change::Deleted),
    );
    if pending.first {
        eprintln!(
            "还没有标记过上传：列出 {} 的全部文件",
            args.output.display()
        );
    }
    eprintln!("自上次上传以来：新增 {a}、修改 {m}、删除 {d}");
    if let Some(path) = &args.list {
        std::fs::write(path, upload::list(&pending))
            .map_err(|e| gongkai::Error::Io(format!("{}: {e}", path.display())))?;
        eprintln!("清单已写入 {}", path.display());
    }
    if let Some(path) = &args.zip {
        let n = upload::write_zip(&args.output, &pending, path)?;
        let note = if d > 0 {
            format!("，要删除的文件列在其中的 {}", upload::DELETIONS)
        } else {
            String::new()
        };
        eprintln!("已把 {n} 个文件打包到 {}{note}", path.display());
    }
    if args.list.is_none() && args.zip.is_none() && !args.done {
        print!("{}", upload::list(&pending));
    }
    if args.done {
        upload::mark_done(&args.output)?;
        eprintln!(
            "已标记上传完成：下次从现在的 {} 开始算",
            args.output.display()
        );
    }
    Ok(())
}
