//go:build !linux

package inmem

import bolt "go.etcd.io/bbolt"

// mmapFlags is bbolt's default elsewhere (see mmap_linux.go).
const mmapFlags = 0

// releaseMapping does nothing where the file is not mapped with MAP_POPULATE (see
// mmap_linux.go).
func releaseMapping(*bolt.DB, string) {}
