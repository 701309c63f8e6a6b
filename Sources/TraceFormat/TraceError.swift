/// Everything that can go wrong writing or reading a trace, with the byte offset where it was found.
package enum TraceError: Error, Equatable, CustomStringConvertible {
    /// The operating system refused an operation on the file.
    case io(path: String, operation: String, errno: Int32)
    /// The first 8 bytes are not the VirtLab magic.
    case notATrace(path: String)
    /// The file's format version is newer than this reader.
    case unsupportedVersion(found: UInt16, supported: UInt16)
    /// The file ends before a structure that started at `offset` is complete.
    case truncated(what: String, offset: UInt64)
    /// Every block is whole but the file ends at `offset` without the footer a finished run writes.
    case unfinished(offset: UInt64)
    /// A CRC-32C does not match the bytes it covers.
    case checksumMismatch(what: String, offset: UInt64, stored: UInt32, computed: UInt32)
    /// A length or count is above the bound the spec sets.
    case limitExceeded(what: String, offset: UInt64, value: UInt64, limit: UInt64)
    /// Bytes that do not follow the spec (bad varint, unknown kind, enum out of range, …).
    case malformed(what: String, offset: UInt64)
    /// The writer was asked for something the schema does not allow.
    case invalidEvent(String)
    /// The writer was used after `close()`.
    case closed

    package var description: String {
        switch self {
        case let .io(path, operation, code):
            return "\(path): cannot \(operation): \(errnoText(code))"
        case let .notATrace(path):
            return "\(path) is not a VirtLab trace (no VLT magic in its first 8 bytes); pass a .vlt file written by `virtlab run`"
        case let .unsupportedVersion(found, supported):
            return "trace format version \(found) is newer than this VirtLab reads (\(supported)); upgrade VirtLab"
        case let .truncated(what, offset):
            return "the file ends inside the \(what) that starts at byte \(offset); the run may have crashed — `virtlab inspect --salvage` recovers the complete blocks"
        case let .unfinished(offset):
            return "the trace ends at byte \(offset) after its last whole block, without the summary, index and trailer a finished run writes: the run was killed, its disk filled, or the file was cut; `virtlab inspect --salvage` (or --salvage on export and report) reads what it holds"
        case let .checksumMismatch(what, offset, stored, computed):
            return "the \(what) at byte \(offset) is damaged (CRC-32C stored \(hex(stored)), computed \(hex(computed))); `virtlab inspect --salvage` skips damaged blocks"
        case let .limitExceeded(what, offset, value, limit):
            return "the \(what) at byte \(offset) is \(value), above the limit of \(limit); the file is damaged or not written by VirtLab"
        case let .malformed(what, offset):
            return "malformed trace at byte \(offset): \(what)"
        case let .invalidEvent(text):
            return "invalid event: \(text)"
        case .closed:
            return "the trace writer was already closed"
        }
    }

    /// The byte offset the error points at, when it has one.
    package var offset: UInt64? {
        switch self {
        case let .truncated(_, o), let .unfinished(o), let .checksumMismatch(_, o, _, _), let .limitExceeded(_, o, _, _), let .malformed(_, o):
            return o
        case .notATrace, .unsupportedVersion:
            return 0
        default:
            return nil
        }
    }
}

func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - s.count)) + s
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func errnoText(_ code: Int32) -> String {
    guard let p = strerror(code) else { return "error \(code)" }
    return String(cString: p)
}
