// Command gosemver orders versions as Go modules do, for cpstrust's differential test.
//
// It reads one pair of versions per line, separated by a tab, and prints for each pair
// golang.org/x/mod/semver.Compare (-1, 0 or 1) and whether each version is valid.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/semver"
)

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		a, b, _ := strings.Cut(in.Text(), "\t")
		fmt.Fprintf(out, "%d %t %t\n", semver.Compare(a, b), semver.IsValid(a), semver.IsValid(b))
	}
}
