import CrisisCueCore
import SnapshotTesting
import Testing

/// The panel as plain text at the sizes a console has: snapshots of each suggestion state
/// and of the narrow layout (`__Snapshots__/`; re-record with SNAPSHOT_TESTING_RECORD=all).
@Suite("PanelRenderer: the side panel as text")
struct PanelRendererTests {
    func render(_ state: PanelState, _ columns: Int, _ rows: Int, ascii: Bool = false) -> String {
        PanelRenderer.render(state, columns: columns, rows: rows, options: .init(ascii: ascii)).text
    }

    @Test("transfer at 120x40: the card, its evidence, the transcript with the phrase marked in place")
    func transfer120x40() {
        assertSnapshot(of: render(PanelFixtures.state(PanelFixtures.transferCall), 120, 40), as: .lines)
    }

    @Test("safety at 100x30: not for a social worker alone, and why")
    func safety100x30() {
        assertSnapshot(of: render(PanelFixtures.state(PanelFixtures.safetyCall), 100, 30), as: .lines)
    }

    @Test("none at 120x40: the card stays quiet")
    func none120x40() {
        let events = Array(PanelFixtures.transferCall.prefix(2))
        assertSnapshot(of: render(PanelFixtures.state(events), 120, 40), as: .lines)
    }

    @Test("narrow, 60x20: the card collapses to one line above the transcript")
    func narrow60x20() {
        assertSnapshot(of: render(PanelFixtures.state(PanelFixtures.transferCall), 60, 20), as: .lines)
    }

    @Test("ASCII box drawing and the help overlay")
    func asciiHelp() {
        var state = PanelFixtures.state(PanelFixtures.safetyCall)
        _ = state.handle(key: "?")
        assertSnapshot(of: render(state, 100, 30, ascii: true), as: .lines)
    }

    @Test("the words say what colour says: the action, and marks on indicator phrases")
    func wordsNotOnlyColour() {
        let text = render(PanelFixtures.state(PanelFixtures.transferCall), 120, 40)
        #expect(text.contains("Suggest live transfer to social worker"))
        #expect(text.contains("[stopped taking his medication]"))
        #expect(text.contains("[~weapons]"))
        let safety = render(PanelFixtures.state(PanelFixtures.safetyCall), 120, 40)
        #expect(safety.contains("Not for social worker alone: weapon"))
        #expect(safety.contains("[!going to shoot]"))
        #expect(!safety.contains("Suggest live transfer"))
    }

    @Test("every size from tiny to huge renders without a crash and fills the grid exactly")
    func anySize() {
        let state = PanelFixtures.state(PanelFixtures.transferCall + PanelFixtures.safetyCall)
        for columns in stride(from: 1, through: 240, by: 7) {
            for rows in stride(from: 1, through: 80, by: 5) {
                let screen = PanelRenderer.render(state, columns: columns, rows: rows)
                #expect(screen.cells.count == rows)
                #expect(screen.cells.allSatisfy { $0.count == columns })
            }
        }
    }

    @Test("the writer sends only the cells that changed")
    func incrementalWrites() {
        var writer = ScreenWriter()
        let before = PanelFixtures.state(PanelFixtures.transferCall)
        let first = writer.frame(PanelRenderer.render(before, columns: 120, rows: 40))
        #expect(first.contains("\u{1B}[2J"))
        var after = before
        after.monitor(levelDB: -10, t: 27.1)
        let second = writer.frame(PanelRenderer.render(after, columns: 120, rows: 40))
        #expect(!second.contains("\u{1B}[2J"))
        #expect(second.count < first.count / 10)
        #expect(writer.frame(PanelRenderer.render(after, columns: 120, rows: 40)).isEmpty)
    }
}
