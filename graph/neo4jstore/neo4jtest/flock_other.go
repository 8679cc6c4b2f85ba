//go:build !unix

package neo4jtest

import "os"

// Elsewhere there is no lock: run the packages that use Neo4j one at a time (go test -p 1).
func flock(*os.File) error   { return nil }
func funlock(*os.File) error { return nil }
