//! A CSV file's bytes (any encoding) through `gongkai import`: every problem is an error, never
//! a panic, and every item file it would write loads back without an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod loads_back;

fuzz_target!(|data: &[u8]| {
    loads_back::import_loads_back("table.csv", data.to_vec());
});
