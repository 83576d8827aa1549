// jemalloc's settings for the metrics process (and bench_metrics_replay,
// which measures its write path): the executables link jemalloc, which
// reads this symbol at its first allocation. MALLOC_CONF in the
// environment still overrides it.
//
// A replay grows the parsed-state cache by hundreds of MB of small objects,
// and every batch allocates and frees ~100 MB (records, decoded events, the
// RocksDB write batch). With glibc malloc a third of the history replay
// went to growing the heap and faulting its 4 KiB pages in; transparent
// huge pages for the heap (thp:always, where the kernel allows them, e.g.
// transparent_hugepage=madvise) cut those faults 512-fold.
//
// Freed pages are never given back (dirty_decay_ms:-1, muzzy_decay_ms:-1):
// with jemalloc's default 10 s decay it kept purging the pages of the last
// batch and the next batch faulted them in again, zeroing a 2 MiB huge page
// each time: 13-19 faults per 1,000 events, against 1-2 without purging,
// and ~20% of the applying thread (bench_metrics_replay prints both). The
// price: RSS stays at its high-water mark (the state cache, bounded by
// --max_cached_entries, plus the largest batch), which is what a memory
// limit must allow for anyway.
//
// One arena (narenas:1): each batch's helper threads (the second apply
// shard, the RocksDB write) are new threads, and jemalloc hands new threads
// its 8 arenas in turn, so a batch's memory landed in a different arena
// than the last one's, whose freed pages sat unused: 5-8 page faults per
// 1,000 events with 2 apply threads, 0-1 with one arena; end to end
// (bench_metrics, 3 alternating pairs) 162-202k against 139-149k events/s
// and RSS 624-653 against 757-797 MiB. On these few busy threads the shared
// arena's lock costs less than that.
extern "C" {
const char* malloc_conf = "thp:always,metadata_thp:auto,dirty_decay_ms:-1,muzzy_decay_ms:-1,narenas:1";
}
