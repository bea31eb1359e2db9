//! The editors' tools, which run the pipeline backwards and write content:
//! [`import`] (tables the office already has), [`new_month`] (a month from the
//! previous one), both through [`writer`].

pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod new_month;
pub(crate) mod writer;
