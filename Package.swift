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
        // Thin command-line tool: arguments, file I/O, printing diagnostics.
        .executableTarget(
            name: "netc",
            dependencies: [
                "NetcCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Mustache subset -> Swift: used by the build plugin and the tests.
        .target(name: "TemplateCompiler"),
        .executableTarget(name: "netc-templates", dependencies: ["TemplateCompiler"]),
        .plugin(name: "CompileTemplates", capability: .buildTool(), dependencies: ["netc-templates"]),
        // `make bench`: speed goals, measured in release builds.
        .executableTarget(name: "netc-bench", dependencies: ["NetcCore"]),
        .testTarget(
            name: "NetcCoreTests",
            dependencies: [
                "NetcCore", "TemplateCompiler",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
    ]
)
