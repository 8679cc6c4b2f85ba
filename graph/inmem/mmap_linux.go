package inmem

import (
	"os"
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// mmapFlags asks Linux to map the whole file at once when bbolt maps it: Open reads every
// page, and faulting them in one at a time took about a tenth of its CPU at 1M entities.
const mmapFlags = syscall.MAP_POPULATE

// releaseMapping is called once Open has read the graph into memory. It stops later remaps
// (when a write grows the file past its mapping) from populating the whole file again, and
// drops the mapped pages from the process: they stay in the page cache, and the few that a
// later read of history or a write touches are faulted back in. Without it every page of the
// file (the history buckets as well, most of a file after an import) counts in the process's
// RSS for as long as it runs: at 1M entities the history is more than the graph's records.
// s is not shared yet, and bbolt maps the file read-only and shared, so dropping the pages
// loses nothing.
func releaseMapping(db *bolt.DB, path string) {
	db.MmapFlags = 0
	fi, err := os.Stat(path)
	if err != nil || fi.Size() == 0 {
		return
	}
	// The mapping covers at least the file (bbolt maps the file's size rounded up), so the
	// file's length is inside it. An error leaves the pages mapped, which costs only memory.
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, uintptr(fi.Size()), syscall.MADV_DONTNEED)
}
