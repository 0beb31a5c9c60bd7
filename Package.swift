// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "netc",
    // Linux (glibc) only: the platform the project builds and tests on
    // (Sources/NetcIO/Platform.swift says so at build time elsewhere).
    products: [
        .executable(name: "netc", targets: ["netc"]),
        .library(name: "NetcCore", targets: ["NetcCore"]),
        .library(name: "NetcIO", targets: ["NetcIO"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", "1.8.0"..<"1.9.0"),
        // The reference Mustache implementation: the tests hold netc's
        // template compiler against it (TemplateCompilerTests).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", "2.1.0"..<"2.2.0"),
    ],
    targets: [
        // The whole compiler: parse -> check -> plan -> print, in memory.
        // templates/*.mustache are compiled into Swift at build time by the
        // CompileTemplates plugin, so netc runs standalone and printing a
        // file is typed code (docs/development.md).
        .target(
            name: "NetcCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            plugins: ["CompileTemplates"]
        ),
        // The file system and the host: the output folder (durable writes,
        // the commit journal, the lock, the reader), the host reader and
        // apply's executor. Unit-tested directly (NetcIOTests).
        .target(name: "NetcIO", dependencies: ["NetcCore"]),
        // Thin command-line tool: arguments and printing.
        .executableTarget(
            name: "netc",
            dependencies: [
                "NetcCore", "NetcIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Mustache subset -> Swift: used by the build plugin and the tests.
        .target(name: "TemplateCompiler"),
        .executableTarget(name: "netc-templates", dependencies: ["TemplateCompiler"]),
        .plugin(name: "CompileTemplates", capability: .buildTool(), dependencies: ["netc-templates"]),
        // `make bench`: speed goals, measured in release builds.
        .executableTarget(name: "netc-bench", dependencies: ["NetcCore"]),
        // Tests by layer; `make test` runs them all (docs/development.md).
        // What every layer shares: the repository, examples, the built
        // netc, the host's tools (skipped loudly without them).
        .target(name: "NetcTestSupport", dependencies: ["NetcCore"], path: "Tests/NetcTestSupport"),
        // The compiler in memory: unit, snippet, golden, diagnostic,
        // schema and import tests. Seconds; no tool, no root.
        .testTarget(
            name: "NetcCoreTests",
            dependencies: [
                "NetcCore", "NetcTestSupport", "TemplateCompiler",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Every message's text, for review (MessageTests reads it).
            exclude: ["messages.txt"]
        ),
        // The file system and the host, called directly and through netc.
        .testTarget(name: "NetcIOTests", dependencies: ["NetcCore", "NetcIO", "NetcTestSupport"]),
        // The netc executable: arguments, exit codes, output formats,
        // the diagnostic corpus, make install.
        .testTarget(name: "NetcCLITests", dependencies: ["NetcCore", "NetcTestSupport", .product(name: "Yams", package: "Yams")]),
        // The real consumers (libvirt, nft, networkd, dnsmasq) and packets
        // between network namespaces: root and Debian's packages (.ci/run).
        .testTarget(name: "NetcConsumerTests", dependencies: ["NetcCore", "NetcTestSupport"]),
    ]
)
