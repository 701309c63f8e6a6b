/// The topics VirtLab simulates, named once for every module: a trace's header names its topic
/// with this raw value, scenarios choose one, and every layer that treats topics differently
/// switches over this enum exhaustively — a new topic is a compile error wherever it needs a
/// decision (its scenario keys in Simulation, its figures and key metrics in Reports, …).
package enum Topic: String, CaseIterable, Sendable {
    case memory, cpu, io, migration
}
