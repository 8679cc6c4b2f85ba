//go:build !linux

package inmem

// mmapFlags is bbolt's default elsewhere (see mmap_linux.go).
const mmapFlags = 0
