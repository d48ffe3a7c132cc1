package cli

import (
	"fmt"
	"os"
	"syscall"
)

// readRegular reads the file at path when it is a regular file, up to
// limit+1 bytes (more tells the caller that it is too large): open,
// fstat, one read of the file's size and a byte more, close. os.Open
// would also register the file with the poller and os.ReadFile read
// again to see the end. A file of another kind (a directory, a FIFO, a
// device) comes back open as f, to be read as a stream. The errors are
// those of os.Open and os.File.Read.
func readRegular(path string, limit int) (data []byte, f *os.File, err error) {
	var fd int
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, os.NewFile(uintptr(fd), path), nil
	}
	defer syscall.Close(fd)
	size := int(min(st.Size, int64(limit))) + 1
	data = make([]byte, 0, size)
	for {
		n, err := syscall.Read(fd, data[len(data):cap(data)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", path, &os.PathError{Op: "read", Path: path, Err: err})
		}
		if n == 0 {
			return data, nil, nil
		}
		data = data[:len(data)+n]
		if len(data) > limit {
			return data, nil, nil
		}
		if int64(len(data)) == st.Size && len(data) < cap(data) {
			// All the bytes the file has, and a short read: its end.
			return data, nil, nil
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // it grew: let append grow the buffer
		}
	}
}
