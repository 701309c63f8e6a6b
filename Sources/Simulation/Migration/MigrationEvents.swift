import TraceFormat
import Vocabulary

/// The event kinds the migration simulator writes; ids are stable across versions.
package enum MigrationEvents {
    package static let stage: UInt16 = 201
    package static let round: UInt16 = 202
    package static let pageBatch: UInt16 = 203
    package static let dirtySync: UInt16 = 204
    package static let networkFault: UInt16 = 205
    package static let downtime: UInt16 = 206
    package static let arp: UInt16 = 207
    package static let throttle: UInt16 = 208
    package static let sourceFailure: UInt16 = 209
    package static let counters: UInt16 = 210
    package static let dirtyMap: UInt16 = 211

    /// Memory is cut into this many equal regions for the per-round dirty map.
    package static let mapRegions = 128

    /// Counter samples per pass over memory (see `MigrationRun.counterInterval`).
    package static let countersPerPass = 100

    /// The six stages of the notes, plus the copy phases of the other strategies.
    package enum Stage: Int, CaseIterable, Sendable {
        case preMigration, reservation, iterativePreCopy, stopAndCopy, commitment, activation, postCopy, coldCopy, diskCopy

        package var name: String {
            switch self {
            case .preMigration: "pre_migration"
            case .reservation: "reservation"
            case .iterativePreCopy: "iterative_pre_copy"
            case .stopAndCopy: "stop_and_copy"
            case .commitment: "commitment"
            case .activation: "activation"
            case .postCopy: "post_copy"
            case .coldCopy: "copy"
            case .diskCopy: "disk_copy"
            }
        }
    }

    /// Why a batch of pages was sent.
    package enum Why: Int, CaseIterable, Sendable {
        case round, final, demand, push, prepage

        package var name: String {
            switch self {
            case .round: "round"
            case .final: "final"
            case .demand: "demand"
            case .push: "push"
            case .prepage: "prepage"
            }
        }
    }

    package static let kinds: [EventKind] = [
        EventKind(id: stage, .stage, category: .migration, shape: .interval, fields: [
            FieldSpec(.stage, .enumeration(Stage.allCases.map(\.name)), packed: true), FieldSpec("duration", .duration),
        ]),
        EventKind(id: round, .round, category: .migration, shape: .interval, fields: [
            FieldSpec(.round, .unsigned, bits: 16), FieldSpec(.pagesSent, .unsigned), FieldSpec(.pagesDirtied, .unsigned),
            FieldSpec("pages_skipped", .unsigned), FieldSpec(.pagesRedirtied, .unsigned), FieldSpec("duration", .duration),
        ]),
        EventKind(id: pageBatch, .pageBatch, category: .migration, fields: [
            FieldSpec("pages", .unsigned), FieldSpec("bytes", .unsigned), FieldSpec("why", .enumeration(Why.allCases.map(\.name)), packed: true),
        ]),
        EventKind(id: dirtySync, .dirtySync, category: .migration, fields: [
            FieldSpec(.round, .unsigned, bits: 16), FieldSpec("dirty_pages", .unsigned),
        ]),
        EventKind(id: networkFault, .networkFault, category: .migration, shape: .interval, fields: [
            FieldSpec("page", .unsigned, delta: true), FieldSpec("duration", .duration),
        ]),
        EventKind(id: downtime, .downtime, category: .migration, shape: .interval, fields: [FieldSpec("duration", .duration)]),
        EventKind(id: arp, .arpAnnounce, category: .migration, fields: []),
        EventKind(id: throttle, .throttle, category: .migration, fields: [FieldSpec("percent", .unsigned, bits: 7)]),
        EventKind(id: sourceFailure, .sourceFailure, category: .migration, fields: [FieldSpec("pages_lost", .unsigned)]),
        EventKind(id: dirtyMap, .dirtyMap, category: .migration, fields: [
            FieldSpec(.round, .unsigned, bits: 16), FieldSpec("region", .unsigned, bits: 16), FieldSpec("dirty_pages", .unsigned),
            FieldSpec("region_pages", .unsigned),
        ]),
        EventKind(id: counters, .migrationCounters, category: .counter, shape: .counter, fields: [
            FieldSpec(.pagesRemaining, .unsigned), FieldSpec(.pagesSent, .unsigned, delta: true),
            FieldSpec("bytes_sent", .unsigned, delta: true), FieldSpec(.pagesDirtied, .unsigned, delta: true),
        ]),
    ]
}
