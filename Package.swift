// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Parcours",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "parcours", targets: ["parcours"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
    ],
    targets: [
        // zlib, through a tiny shim for what Swift cannot call (deflateInit2 is a macro).
        .systemLibrary(name: "CParcoursZlib", path: "Sources/CParcoursZlib"),
        // glibc's malloc.h (mallopt), for the server's memory settings.
        .systemLibrary(name: "CParcoursMalloc", path: "Sources/CParcoursMalloc"),
        // HTTP/1.1 on sockets and Dispatch. Knows nothing of JSON, SQL or the PLIE.
        .target(name: "HTTPServer", dependencies: ["CParcoursZlib"]),
        // The database: opening, migrations, backup. No domain rules.
        .target(name: "Storage", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The PLIE's rules as plain values and functions. No I/O.
        .target(name: "Domain"),
        // CSV, XLSX and iCalendar writers, streamed.
        .target(name: "Exports", dependencies: ["Domain", "ZIPFoundation"]),
        // Routes: decode, authorise, call the domain in one transaction, encode.
        .target(name: "API", dependencies: [
            "HTTPServer", "Storage", "Domain", "Exports", "CParcoursMalloc",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.copy("Resources/openapi.json")]),
        .executableTarget(name: "parcours", dependencies: [
            "API", "Storage", "HTTPServer", "CParcoursMalloc",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // A server answering "ok", to measure the HTTP layer alone with wrk.
        .executableTarget(name: "http-echo-bench", dependencies: ["HTTPServer"]),
        .testTarget(name: "HTTPServerTests", dependencies: [
            "HTTPServer", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "DomainTests", dependencies: [
            "Domain", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "ExportsTests", dependencies: ["Exports", "ZIPFoundation", "TestSupport"]),
        // Helpers shared by the test targets (reading exports back with Python's standard readers).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "APITests", dependencies: [
            "API", "HTTPServer", "Storage", "Domain", "Exports", "CParcoursZlib", "TestSupport", "ZIPFoundation",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
    ],
    swiftLanguageModes: [.v5]
)
