//! A CSV file's bytes (any encoding) through `gongkai import`: every problem is an error, never
//! a panic, and every item file it would write loads back without an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gongkai_fuzz::import_loads_back("table.csv", data.to_vec());
});
