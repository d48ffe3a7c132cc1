// Command ctgen writes synthetic CloudTrail logs for iamfit's tests and
// benchmarks: go run ./internal/cloudtrail/ctgen -records 100000 -files 10 -gzip -out /tmp/ct
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/iamfit/iamfit/internal/cloudtrail"
)

func main() {
	records := flag.Int("records", 10000, "records per file")
	files := flag.Int("files", 1, "number of files")
	gz := flag.Bool("gzip", false, "gzip the files, as CloudTrail delivers them")
	out := flag.String("out", ".", "output directory")
	lookup := flag.Bool("lookup", false, "write aws cloudtrail lookup-events output instead of S3 log files")
	flag.Parse()
	if err := run(*out, *files, *records, *gz, *lookup); err != nil {
		fmt.Fprintln(os.Stderr, "ctgen:", err)
		os.Exit(1)
	}
}

func run(dir string, files, records int, gz, lookup bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Files are independent: write them in parallel.
	errs := make(chan error, files)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i := 0; i < files; i++ {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			errs <- writeFile(dir, i, records, gz, lookup)
		}()
	}
	for i := 0; i < files; i++ {
		if err := <-errs; err != nil {
			return err
		}
	}
	return nil
}

func writeFile(dir string, i, records int, gz, lookup bool) error {
	name := filepath.Join(dir, fmt.Sprintf("123456789012_CloudTrail_us-east-1_%06d.json", i))
	if lookup {
		name = filepath.Join(dir, fmt.Sprintf("lookup-events-%04d.json", i))
	}
	if gz {
		name += ".gz"
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	var w io.Writer = bw
	var zw *gzip.Writer
	if gz {
		zw = gzip.NewWriter(bw)
		w = zw
	}
	if err := cloudtrail.Synthetic(w, cloudtrail.SyntheticOptions{Records: records, Seed: int64(i), Lookup: lookup}); err != nil {
		f.Close()
		return err
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			f.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
