# Shared by tools/build-dash and tools/build-busybox (sourced, not run): building a Debian source
# package for Aramid with the SDK's aramid-cc, with the up-to-date check first.
#
# Two recipes decide what to redo (docs/rootfs.md):
#   compile recipe: the builder script and this file, the source package's .dsc (which holds the
#                   checksums of its files), gcc's version, the build's options, and every header
#                   the SDK compiles against. A change unpacks and builds from nothing.
#   link recipe:    the compile recipe plus the SDK's libraries, crt0, linker script and aramid-cc.
#                   A change (posix-shim edited, say) only relinks in the existing work tree.

# source_build_init NAME BUILD_DIR SDK_DIR: sets name, build_dir, sdk, work (BUILD_DIR/NAME-work),
# and dsc (the cached .dsc, fetched on first use).
source_build_init() {
    name=$1
    mkdir -p "$2"
    build_dir=$(cd "$2" && pwd -P)
    sdk=$(cd "$3" && pwd -P)
    work="$build_dir/$name-work"
    local tools
    tools=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/..
    fetch="$tools/fetch-debian-source"
    dsc=$("$fetch" --dsc "$name")
}

# source_build_hash_sdk_headers: one hash of every header a program is compiled against.
source_build_hash_sdk_headers() {
    (cd "$sdk" && find -L include sysroot/include -type f -print0 | sort -z | xargs -0 sha256sum) |
        sha256sum | cut -d' ' -f1
}

# source_build_recipes SCRIPT OPTIONS...: sets compile_recipe and link_recipe.
source_build_recipes() {
    local script=$1
    shift
    compile_recipe=$(
        {
            sha256sum < "$script"
            sha256sum < "${BASH_SOURCE[0]}"
            sha256sum < "$dsc"
            gcc -dumpfullversion
            printf '%s\n' "$@"
            source_build_hash_sdk_headers
        } | sha256sum | cut -d' ' -f1
    )
    link_recipe=$(
        {
            echo "$compile_recipe"
            (cd "$sdk" && sha256sum bin/aramid-cc lib/crt0.o lib/libposix-shim.a lib/libsys.a \
                lib/aramid.ld sysroot/lib/libc.a sysroot/lib/libm.a)
        } | sha256sum | cut -d' ' -f1
    )
}

# source_build_stamp_is FILE RECIPE: whether FILE holds RECIPE.
source_build_stamp_is() {
    [[ -f "$1" && "$(< "$1")" == "$2" ]]
}

# source_build_lock: one build of this package per build directory at a time.
source_build_lock() {
    mkdir -p "$work"
    exec 9> "$build_dir/.$name-lock"
    flock 9
}

# source_build_unpack: a fresh source tree in $work/src with Debian's patches applied.
source_build_unpack() {
    rm -rf "$work"
    mkdir -p "$work"
    "$fetch" "$name" "$work/src" > /dev/null
}

# source_build_set_date: SOURCE_DATE_EPOCH from debian/changelog, as dpkg-buildpackage sets it, so
# the build time that busybox puts in its banner (and anything else that reads it) is the
# package's date, the same on every build.
source_build_set_date() {
    SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$work/src/debian/changelog" -STimestamp)
    export SOURCE_DATE_EPOCH
}

# run_logged LOG CMD...: run CMD with all output in LOG; on failure show the log's tail and stop.
run_logged() {
    local log=$1
    shift
    if ! "$@" > "$log" 2>&1; then
        echo "$name: '$*' failed; last 40 lines of $log:" >&2
        tail -n 40 "$log" >&2
        exit 1
    fi
}

# source_build_install BINARY OUTPUT STAMP: checks BINARY is a static x86-64 executable, then puts
# it at OUTPUT (replaced in one rename) and writes STAMP (link recipe) last.
source_build_install() {
    local binary=$1 output=$2 stamp=$3
    if ! readelf -h "$binary" 2> /dev/null | grep -q 'Type: *EXEC' ||
        readelf -l "$binary" 2> /dev/null | grep -q INTERP; then
        echo "$name: $binary is not a static executable" >&2
        exit 1
    fi
    mkdir -p "$(dirname "$output")"
    rm -f "$stamp"
    cp "$binary" "$output.tmp"
    mv "$output.tmp" "$output"
    echo "$link_recipe" > "$stamp.tmp"
    mv "$stamp.tmp" "$stamp"
}
