import Charts
/// The values the templates render. Field names are the Mustache keys; they are kept distinct
/// across models because Mustache looks a missing (or nil) key up in the enclosing contexts.

/// A link in the site's navigation bar.
package struct NavLink: Sendable {
    package var href: String
    package var label: String
    package var current: Bool
    package init(href: String, label: String, current: Bool = false) {
        self.href = href
        self.label = label
        self.current = current
    }
}

/// A figure on a page: `dir` + `name` + .svg / -dark.svg / .png / .pdf, relative to the site root.
package struct FigureRef: Sendable {
    package var name: String
    package var dir: String
    package var caption: String
    package var alt: String
    /// What to notice, as HTML (the page) and as plain text (the deck's speaker notes).
    package var notice: String?
    package var noticePlain: String?
    package var width = 800
    package var height = 480
    /// A 16:9 slide version exists in `slides/` (light and dark SVG).
    package var slides = false
    /// The numbers drawn, behind a disclosure under the figure (nil for dense charts).
    package var dataTable: Table?
    /// Focusable hover areas over the picture, one per bar, point or cell, with its exact value.
    package var hotspots: [HotspotRef] = []

    package init(name: String, dir: String, caption: String, alt: String, notice: String? = nil) {
        self.name = name
        self.dir = dir
        self.caption = caption
        self.alt = alt
        self.notice = notice
    }

}

/// A hover area over a figure, in percent of the picture (so it scales with it), and its words.
package struct HotspotRef: Sendable {
    package var left, top, width, height: String
    package var label: String

    package init(_ h: Hotspot, figureWidth: Int, figureHeight: Int) {
        func percent(_ v: Double, _ of: Int) -> String {
            let p = (max(0, min(v, Double(of))) / Double(max(of, 1)) * 10_000).rounded() / 100
            return p == p.rounded() ? String(Int(p)) : String(p)
        }
        left = percent(h.x, figureWidth)
        top = percent(h.y, figureHeight)
        width = percent(min(h.width, Double(figureWidth) - max(0, h.x)), figureWidth)
        height = percent(min(h.height, Double(figureHeight) - max(0, h.y)), figureHeight)
        label = h.label
    }
}

/// A table with column headers and a header cell per row.
package struct Table: Sendable {
    package struct Cell: Sendable {
        package var text: String
        package var numeric: Bool
        /// A link target relative to the site root (named apart from the row's `href`, which
        /// Mustache would otherwise find for a cell without one).
        package var link: String?
    }
    package struct Row: Sendable {
        package var label: String
        package var href: String?
        package var cells: [Cell]
    }
    package var caption: String?
    package var columns: [String]
    package var rows: [Row] = []
    /// Right-align cells that read as numbers (off for property lists mixing text and numbers).
    let alignNumbers: Bool

    package init(caption: String? = nil, columns: [String], alignNumbers: Bool = true) {
        self.caption = caption
        self.columns = columns
        self.alignNumbers = alignNumbers
    }

    /// Appends a row; cells that read as numbers are right-aligned.
    package mutating func add(_ label: String, href: String? = nil, _ cells: [String]) {
        rows.append(Row(label: label, href: href, cells: cells.map { Cell(text: $0, numeric: alignNumbers && Self.looksNumeric($0)) }))
    }

    /// Appends a row whose cells are links: (text, target relative to the site root).
    package mutating func add(_ label: String, href: String? = nil, links: [(String, String)]) {
        rows.append(Row(label: label, href: href, cells: links.map { Cell(text: $0.0, numeric: false, link: $0.1) }))
    }

    static func looksNumeric(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        // A lone dash stands for a missing number and lines up with the numbers around it.
        return ("0"..."9").contains(first) || ((first == "-" || first == "−") && s.count > 1) || s == "–"
    }
}

/// A list of links (runs behind a section's figures).
package struct LinkList: Sendable {
    package struct Item: Sendable {
        package var href: String
        package var label: String
        package var last: Bool
    }
    package var items: [Item]
    package init(_ links: [(href: String, label: String)]) {
        items = links.enumerated().map { Item(href: $0.element.href, label: $0.element.label, last: $0.offset == links.count - 1) }
    }
}

/// A titled part of a topic or sweep page: prose, figures, tables, links to runs.
package struct Section: Sendable {
    /// One block of a lesson's section, in the lesson's order: HTML prose, a figure or a table.
    package struct Part: Sendable {
        package var partHTML: String?
        package var partFigure: FigureRef?
        package var partTable: Table?
        package var partPredict: PredictBox?
        init(partHTML: String? = nil, partFigure: FigureRef? = nil, partTable: Table? = nil, partPredict: PredictBox? = nil) {
            self.partHTML = partHTML
            self.partFigure = partFigure
            self.partTable = partTable
            self.partPredict = partPredict
        }
    }
    package var id: String
    package var heading: String
    /// Plain-text paragraphs (escaped on the page; a lesson's are its prose as plain text, for slides).
    package var paragraphs: [String] = []
    /// A lesson section's blocks in order (the page shows these instead of paragraphs, figures, tables).
    package var parts: [Part] = []
    package var usesParts = false
    package var figures: [FigureRef] = []
    package var tables: [Table] = []
    package var links: LinkList?

    package init(id: String, heading: String, paragraphs: [String] = [], figures: [FigureRef] = [], tables: [Table] = [],
                 links: LinkList? = nil) {
        self.id = id
        self.heading = heading
        self.paragraphs = paragraphs
        self.figures = figures
        self.tables = tables
        self.links = links
    }
}

/// A "predict, then check" box (`partials/predict`): the question, a number field or choices,
/// and the simulation's answer behind a disclosure that works without JavaScript.
package struct PredictBox: Sendable {
    package struct Choice: Sendable {
        package var choiceLabel: String
        package var choiceValue: String
    }
    package var predictId: String
    package var questionHTML: String
    package var isChoice: Bool
    package var choices: [Choice]
    /// The number the answer is checked against (`data-answer`), or the right choice.
    package var expected: String
    /// Relative tolerance, as a number for the script.
    package var tolerance: String
    package var toleranceText: String?
    package var unitLabel: String?
    /// The answer as the page shows it (formatted value or the right choice).
    package var answerText: String
    package var explainHTML: String?
    package var answerFigure: FigureRef?
    package var wordPredict, wordYours, wordCheck, wordAnswer, wordRight, wordWrong, wordInvalid: String
}

/// A suggested experiment with the exact commands.
package struct TryIt: Sendable {
    package var id: String
    package var title: String
    package var text: String
    package var commands: [String]
    package var parameter: String?
}

/// The reproducibility block of a run page.
package struct Reproduction: Sendable {
    package var id = "run"
    package var command: String
    package var seed: String
    package var version: String
    package var formatVersion: String
    package var tracePath: String
    package var traceName: String
    package var traceSize: String
    package var sha256: String
    package var scenario: String
}

/// A run page (`run.mustache`).
package struct RunPage: Sendable {
    package var title: String
    package var root: String
    package var nav: [NavLink]
    package var version: String
    package var heading: String
    package var description: String
    package var summary: Table
    package var key: Table?
    package var metrics: Table
    package var metricCount: Int
    package var exits: Table?
    package var figures: [FigureRef]
    package var hasFigures: Bool
    /// Nil for a case study's mystery run, whose configuration is the puzzle.
    package var repro: Reproduction?
    package var explorer: ExplorerRef?
}

/// A run page's trace explorer: its data script (site-relative) and the container's id.
package struct ExplorerRef: Sendable {
    package var traceId: String
    package var dataScript: String
    /// For a `--window` page: which part of the run it shows.
    package var windowNote: String?
}

/// A comparison page (`comparison.mustache`).
package struct ComparisonPage: Sendable {
    package var title: String
    package var root: String
    package var nav: [NavLink]
    package var version: String
    package var heading: String
    package var description: String
    package var runs: Table
    package var metrics: Table
    package var figures: [FigureRef]
    package var hasFigures: Bool
    package var command: String
    /// The scenario keys that differ, and a sentence about them.
    package var differences: Table?
    package var differenceNote: String = ""
    /// Key results with labels and units, against the baseline.
    package var keyResults: Table?
    /// Every run's explorer, stacked and zooming together.
    package var explorers: [ExplorerRef] = []
}

/// A topic page (`topic.mustache`).
package struct TopicPage: Sendable {
    package var title: String
    package var root: String
    package var nav: [NavLink]
    package var version: String
    package var number: Int
    package var topicCount: Int
    /// "Topic 2 of 4", in the course's words.
    package var topicOf: String
    package var heading: String
    package var hook: String
    /// HTML.
    package var problem: String
    package var problemHeading: String
    package var available: Bool
    package var pending: String
    package var sections: [Section]
    package var tryit: [TryIt]
    /// HTML.
    package var takeaways: [String]
    package var hasTakeaways: Bool
    package var takeawaysHeading: String
    /// The lesson plan's classroom sections.
    package var classroom: Classroom?
    /// The page's figures as 16:9 slides in one zip (site-relative), when there are any.
    package var slideSet: String?
    /// The topic as a deck: PowerPoint, PDF slides, PDF speaker notes (site-relative).
    package var decks: [NavLink] = []
    package var hasDecks = false
    /// The deck's slides (the course deck joins the topics').
    package var deckSlides: [DeckSlide] = []
    package var previous: NavLink?
    package var next: NavLink?
}

/// A lesson's classroom sections as the topic page shows them (HTML from the lesson's Markdown).
package struct Classroom: Sendable {
    package struct Pair: Sendable {
        package var first: String
        package var second: String
    }
    package var storyProblem: String
    package var storyInsight: String
    package var storyImpact: String
    package var dramaticQuestion: String?
    package var analogy: String?
    package var activity: String?
    package var motion: String?
    package var debateFor: [String]
    package var debateAgainst: [String]
    package var hasDebateSides: Bool
    package var whatIf: [String]
    package var hasWhatIf: Bool
    package var questions: [Pair]
    package var hasQuestions: Bool
    package var teachingNotes: String?
    /// Where the text comes from, for the lecturer who wants to change it.
    package var lessonFile: String
    /// The headings, in the course's words.
    package var wordStory = "", wordProblem = "", wordInsight = "", wordImpact = "", wordAsk = "", wordAnalogy = "", wordActivity = "",
                wordDebate = "", wordFor = "", wordAgainst = "", wordWhatIf = "", wordQuestions = ""

    init(storyProblem: String, storyInsight: String, storyImpact: String, dramaticQuestion: String?, analogy: String?, activity: String?,
         motion: String?, debateFor: [String], debateAgainst: [String], whatIf: [String], questions: [Pair], teachingNotes: String?, lessonFile: String) {
        self.storyProblem = storyProblem
        self.storyInsight = storyInsight
        self.storyImpact = storyImpact
        self.dramaticQuestion = dramaticQuestion
        self.analogy = analogy
        self.activity = activity
        self.motion = motion
        self.debateFor = debateFor
        self.debateAgainst = debateAgainst
        hasDebateSides = !debateFor.isEmpty || !debateAgainst.isEmpty
        self.whatIf = whatIf
        hasWhatIf = !whatIf.isEmpty
        self.questions = questions
        hasQuestions = !questions.isEmpty
        self.teachingNotes = teachingNotes
        self.lessonFile = lessonFile
    }
}

/// The site's index page (`index.mustache`).
package struct IndexPage: Sendable {
    package struct Topic: Sendable {
        package var href: String
        package var label: String
        package var hook: String
        package var thumb: String?
        package var thumbDark: String?
        package var thumbAlt: String
    }
    package var title: String
    package var root: String
    package var nav: [NavLink]
    package var version: String
    package var heading: String
    package var intro: String
    package var topics: [Topic]
    /// The whole course as one deck.
    package var decks: [NavLink] = []
    package var hasDecks = false
    package var experiments: Table?
    package var hasExperiments: Bool
    package var everything: String
    package var runs: Table
}

/// A sweep's report page (`sweep.mustache`).
package struct SweepPage: Sendable {
    package var title: String
    package var root: String
    package var nav: [NavLink]
    package var version: String
    package var heading: String
    package var description: String
    package var shape: String
    package var sections: [Section]
    package var command: String

    package init(title: String, root: String, nav: [NavLink], version: String, heading: String, description: String, shape: String,
                 sections: [Section], command: String) {
        self.title = title
        self.root = root
        self.nav = nav
        self.version = version
        self.heading = heading
        self.description = description
        self.shape = shape
        self.sections = sections
        self.command = command
    }
}

/// The figure gallery (`gallery.mustache`): every slide-worthy figure with its downloads.
package struct GalleryPage: Sendable {
    package var title: String
    package var root: String
    package var nav: [NavLink]
    package var version: String
    package var heading: String
    package var intro: String
    package var sections: [Section]
}

/// A printable worksheet or its answer key (`worksheet.mustache`): one page per student.
package struct WorksheetPage: Sendable {
    package struct Answer: Sendable {
        package var answerName: String
        package var value: String
        package var tolerance: String
        package init(answerName: String, value: String, tolerance: String) {
            self.answerName = answerName
            self.value = value
            self.tolerance = tolerance
        }
    }
    package struct Item: Sendable {
        package var number: Int
        package var exerciseTitle: String
        package var problem: String
        package var hasAnswers: Bool
        package var answers: [Answer]
        package var explanation: String
        package init(number: Int, exerciseTitle: String, problem: String, answers: [Answer]?, explanation: String) {
            self.number = number
            self.exerciseTitle = exerciseTitle
            self.problem = problem
            hasAnswers = answers != nil
            self.answers = answers ?? []
            self.explanation = answers == nil ? "" : explanation
        }
    }
    package struct Student: Sendable {
        package var name: String
        package var exercises: [Item]
        package init(name: String, exercises: [Item]) {
            self.name = name
            self.exercises = exercises
        }
    }
    package var title: String
    package var sheetTitle: String
    package var version: String
    package var isKey: Bool
    package var students: [Student]

    package init(title: String, sheetTitle: String, version: String, isKey: Bool, students: [Student]) {
        self.title = title
        self.sheetTitle = sheetTitle
        self.version = version
        self.isKey = isKey
        self.students = students
    }
}
