// swift-tools-version: 6.1
import Foundation
import PackageDescription

let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

var products: [Product] = [
    .executable(name: "vitals", targets: ["vitals"])
]

var targets: [Target] = [
    .target(
        name: "VitalsCore",
        dependencies: [
            .product(name: "Yams", package: "Yams"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
    .target(
        name: "VitalsStore",
        dependencies: [
            "VitalsCore", "VitalsPorts", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ],
        swiftSettings: upcoming
    ),
    // The PostgreSQL backend: the same ports on a shared database (docs/postgres.md). The only target that links postgres-nio.
    .target(
        name: "VitalsStorePostgres",
        dependencies: [
            "VitalsCore", "VitalsPorts", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
    // The seams a backend implements (samples, alert state, the outbox, ...) and the records they carry; no storage types.
    .target(name: "VitalsPorts", dependencies: ["VitalsCore"], swiftSettings: upcoming),
    // Delivery channels (Slack, PagerDuty, webhooks, email, files) behind one `Notifier` protocol.
    // swift-crypto for the webhook channel's HMAC signatures.
    .target(
        name: "VitalsNotify",
        dependencies: [
            "VitalsCore", "VitalsPorts", "VitalsHTTP", .product(name: "Crypto", package: "swift-crypto"), .product(name: "CoreMetrics", package: "swift-metrics"),
        ],
        swiftSettings: upcoming
    ),
    .target(name: "VitalsCollectors", dependencies: ["VitalsCore", "VitalsPorts", "VitalsHTTP"], swiftSettings: upcoming),
    .target(name: "VitalsScheduler", dependencies: ["VitalsCore"], swiftSettings: upcoming),
    // The daemon's services (job scheduler, leadership, slotted rounds) and its log handler; no I/O of their own.
    .target(
        name: "VitalsService",
        dependencies: [
            "VitalsCore", "VitalsPorts", "VitalsScheduler", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"), .product(name: "CoreMetrics", package: "swift-metrics"),
        ],
        swiftSettings: upcoming
    ),
    // libcurl, the system's (`libcurl4-openssl-dev`, which scripts/setup installs), behind typed setopt wrappers.
    .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
    .target(name: "VitalsHTTP", dependencies: ["CCurl"], swiftSettings: upcoming),
    .target(
        name: "VitalsReports",
        dependencies: ["VitalsCore", "VitalsPorts", "VitalsCollectors", .product(name: "Mustache", package: "swift-mustache")],
        swiftSettings: upcoming
    ),
    // The read-only HTTP API: /healthz, /metrics, the Prometheus query API, /api/report (Hummingbird, swift-prometheus).
    .target(
        name: "VitalsServer",
        dependencies: [
            "VitalsCore", "VitalsPorts", "VitalsRules", "VitalsReports", "VitalsService",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
    .target(
        name: "VitalsRules", dependencies: ["VitalsCore", "VitalsPorts", .product(name: "Yams", package: "Yams")], swiftSettings: upcoming
    ),
    .executableTarget(
        name: "vitals",
        dependencies: [
            "VitalsCore", "VitalsPorts", "VitalsStore", "VitalsStorePostgres", "VitalsCollectors", "VitalsReports", "VitalsRules", "VitalsScheduler",
            "VitalsService", "VitalsNotify", "VitalsHTTP", "VitalsServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"), .product(name: "CoreMetrics", package: "swift-metrics"),
        ],
        swiftSettings: upcoming
    ),
    .testTarget(name: "VitalsCoreTests", dependencies: ["VitalsCore", "VitalsCollectors", "VitalsTestSupport"], swiftSettings: upcoming),
    .testTarget(
        name: "VitalsStoreTests",
        dependencies: [
            "VitalsStore", "VitalsStorePostgres", "VitalsCore", "VitalsPorts", "VitalsRules", "VitalsNotify", "VitalsTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "VitalsCollectorsTests", dependencies: ["VitalsCollectors", "VitalsCore", "VitalsPorts", "VitalsHTTP", "VitalsStore", "VitalsTestSupport"],
        exclude: ["Fixtures"],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "VitalsReportsTests", dependencies: ["VitalsReports", "VitalsStore", "VitalsCore", "VitalsPorts", "VitalsCollectors", "VitalsTestSupport"],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "VitalsRulesTests", dependencies: ["VitalsRules", "VitalsCore", "VitalsPorts", "VitalsStore", "VitalsTestSupport"], exclude: ["Fixtures"],
        swiftSettings: upcoming
    ),
    .testTarget(name: "VitalsHTTPTests", dependencies: ["VitalsHTTP", "VitalsTestSupport"], swiftSettings: upcoming),
    .testTarget(
        name: "VitalsNotifyTests",
        dependencies: [
            "VitalsNotify", "VitalsPorts", "VitalsCore", "VitalsHTTP", "VitalsStore", "VitalsTestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "VitalsServerTests",
        dependencies: [
            "VitalsServer", "VitalsCore", "VitalsPorts", "VitalsReports", "VitalsRules", "VitalsStore", "VitalsHTTP", "VitalsTestSupport",
            "VitalsService", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ],
        swiftSettings: upcoming
    ),
    .testTarget(name: "VitalsSchedulerTests", dependencies: ["VitalsScheduler", "VitalsCore"], swiftSettings: upcoming),
    .testTarget(
        name: "VitalsServiceTests",
        dependencies: [
            "VitalsService", "VitalsScheduler", "VitalsCore", "VitalsPorts", "VitalsRules", "VitalsStore", "VitalsServer", "VitalsNotify", "VitalsTestSupport",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"), .product(name: "MetricsTestKit", package: "swift-metrics"),
        ],
        swiftSettings: upcoming
    ),
    .testTarget(
        name: "VitalsCLITests",
        dependencies: [
            "vitals", "VitalsCore", "VitalsPorts", "VitalsStore", "VitalsStorePostgres", "VitalsHTTP", "VitalsCollectors", "VitalsTestSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log"),
        ],
        swiftSettings: upcoming
    ),
    // Helpers several test targets share: real git repositories and temporary folders.
    .target(name: "VitalsTestSupport", path: "Tests/VitalsTestSupport", swiftSettings: upcoming),
]

// Benchmarks are built only on request (`VITALS_BENCHMARKS=1`), so CI and the quick start never compile them.
if ProcessInfo.processInfo.environment["VITALS_BENCHMARKS"] != nil {
    targets.append(
        .executableTarget(
            name: "vitals-bench",
            dependencies: [
                "VitalsCore", "VitalsStore", "VitalsStorePostgres", "VitalsCollectors", "VitalsReports", "VitalsRules", "VitalsScheduler", "VitalsPorts",
                "VitalsNotify", "VitalsServer", "VitalsHTTP", "VitalsTestSupport", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Benchmarks/vitals-bench",
            swiftSettings: upcoming
        )
    )
    products.append(.executable(name: "vitals-bench", targets: ["vitals-bench"]))
}

// Fuzz targets are built only on request (`VITALS_FUZZ=1`, by `scripts/fuzz`; see docs/fuzzing.md), and link only with
// `-sanitize=fuzzer`, which brings the libFuzzer driver that `Fuzz/LibFuzzer` starts.
if ProcessInfo.processInfo.environment["VITALS_FUZZ"] != nil {
    let fuzzTargets: [(name: String, module: Target.Dependency)] = [
        ("expression", "VitalsRules"), ("rule-file", "VitalsRules"), ("rule-test-file", "VitalsRules"), ("config", "VitalsCore"),
        ("lcov", "VitalsCollectors"), ("cobertura", "VitalsCollectors"), ("llvm-cov-json", "VitalsCollectors"), ("sarif", "VitalsCollectors"),
        ("rfc3339", "VitalsCore"),
    ]
    targets.append(.target(name: "LibFuzzer", path: "Fuzz/LibFuzzer", swiftSettings: upcoming + [.enableExperimentalFeature("Extern")]))
    for (name, module) in fuzzTargets {
        targets.append(.executableTarget(name: "fuzz-\(name)", dependencies: ["LibFuzzer", module], path: "Fuzz/\(name)", swiftSettings: upcoming))
    }
}

let package = Package(
    name: "vitals",
    platforms: [.macOS(.v15)],
    products: products,
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", exact: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: targets,
    swiftLanguageModes: [.v6]
)
