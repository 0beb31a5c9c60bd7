// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "netc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "netc", targets: ["netc"]),
        .library(name: "NetcCore", targets: ["NetcCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", "1.8.0"..<"1.9.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", "2.1.0"..<"2.2.0"),
    ],
    targets: [
        // The whole compiler: parse -> validate -> lower -> render, in memory.
        // `Templates` is a symlink to the top-level templates/ folder; the
        // Mustache files are compiled into the library so netc runs standalone.
        .target(
            name: "NetcCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.embedInCode("Templates")]
        ),
        // Thin command-line tool: arguments, file I/O, printing diagnostics.
        .executableTarget(
            name: "netc",
            dependencies: [
                "NetcCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `make bench`: speed goals, measured in release builds.
        .executableTarget(name: "netc-bench", dependencies: ["NetcCore", .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "NetcCoreTests",
            dependencies: ["NetcCore"]
        ),
    ]
)
