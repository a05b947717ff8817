import Testing
@testable import TriageKit

@Suite struct CommandLineParserTests {
    @Test func parsesTheMainJob() throws {
        let options = try CommandLineParser.parse(["logs", "app.log", "-", "--format", "json", "--fail-on=HIGH", "-o", "out.json",
                                                   "--rules", "mine", "--top", "3", "--since", "2024-12-21 13:00", "-j", "2", "--encoding", "GBK"])
        #expect(options.command == .logs(paths: ["app.log", "-"]))
        #expect(options.format == .json)
        #expect(options.failOn == .high)
        #expect(options.output == "out.json")
        #expect(options.ruleDirectories == ["mine"])
        #expect(options.top == 3)
        #expect(options.since?.text == "2024-12-21 13:00:00.000")
        #expect(options.jobs == 2)
        #expect(options.encoding == .gbk)
    }

    @Test func parsesRulesAndHelpAndVersion() throws {
        #expect(try CommandLineParser.parse(["rules"]).command == .rulesList)
        #expect(try CommandLineParser.parse(["rules", "show", "fd-exhaustion"]).command == .rulesShow(id: "fd-exhaustion"))
        #expect(try CommandLineParser.parse(["rules", "check", "dir"]).command == .rulesCheck(directory: "dir"))
        #expect(try CommandLineParser.parse([]).command == .help(topic: nil))
        #expect(try CommandLineParser.parse(["logs", "--help"]).command == .help(topic: "logs"))
        #expect(try CommandLineParser.parse(["help", "rules"]).command == .help(topic: "rules"))
        #expect(try CommandLineParser.parse(["--version"]).command == .version)
    }

    @Test(arguments: [
        (["logs"], "logs needs at least one PATH"),
        (["log", "a"], "unknown command 'log' (did you mean 'logs'?)"),
        (["logs", "a", "--formt", "json"], "unknown option --formt (did you mean --format?)"),
        (["logs", "a", "--format", "yaml"], "--format must be one of text, markdown, jira, html, json, jsonl (got 'yaml')"),
        (["logs", "a", "--fail-on", "bad"], "--fail-on must be one of critical, high, medium, low, info (got 'bad')"),
        (["logs", "a", "--since", "yesterday"], "--since 'yesterday' is not a time"),
        (["logs", "a", "--format"], "--format needs a value (FORMAT)"),
        (["rules", "show"], "'rules show' needs one rule ID"),
        (["rules", "check", "d", "--fail-on", "high"], "--fail-on does not apply to 'rules'"),
        (["help", "nonsense"], "no help on 'nonsense'; the commands are logs, rules and help"),
        (["help", "log"], "no help on 'log' (did you mean 'logs'?)"),
        (["logs", "-format", "json", "a"], "unknown option -format (did you mean --format?); long options take two dashes"),
        (["logs", "a", "-output", "r.md"], "unknown option -output (did you mean --output?)"),
        (["logs", "a", "-o", "r.json", "--format", "markdown"], "--format markdown contradicts -o r.json, which names a json file"),
    ])
    func refusesWithAMessageThatSaysWhatToDo(_ arguments: [String], _ message: String) {
        do {
            _ = try CommandLineParser.parse(arguments)
            Issue.record("expected a usage error for \(arguments)")
        } catch {
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }

    @Test(arguments: [("r.md", OutputFormat.markdown), ("r.MARKDOWN", .markdown), ("out/r.json", .json), ("r.txt", .text),
                      ("r.out", .text), ("dir.md/report", .text)])
    func theOutputFileNamePicksTheFormat(_ name: String, _ format: OutputFormat) throws {
        #expect(try CommandLineParser.parse(["logs", "a", "-o", name]).format == format)
        // Saying the same twice is fine; --format alone wins where the name says nothing.
        #expect(try CommandLineParser.parse(["logs", "a", "-o", "r.out", "--format", "json"]).format == .json)
        #expect(try CommandLineParser.parse(["logs", "a", "-o", "r.json", "--format", "json"]).format == .json)
    }

    @Test func readsPipedStandardInputWithoutAPath() throws {
        #expect(try CommandLineParser.parse(["logs"], standardInputIsTerminal: false).command == .logs(paths: ["-"]))
        #expect(throws: UsageError.self) { try CommandLineParser.parse(["logs"], standardInputIsTerminal: true) }
        #expect(try CommandLineParser.parse(["logs", "a"], standardInputIsTerminal: false).command == .logs(paths: ["a"]))
    }

    @Test func shortOptionsStillTakeTheirValueAttached() throws {
        #expect(try CommandLineParser.parse(["logs", "a", "-j2"]).jobs == 2)
        // -f is --follow, as tail -f: a format after it is a mistake said plainly.
        #expect(try CommandLineParser.parse(["logs", "a", "-f"]).follow)
        #expect(try CommandLineParser.parse(["logs", "a", "-oout.md"]).output == "out.md")
    }

    @Test func helpListsEveryOptionOfTheCommand() {
        let help = HelpText.logs
        for spec in OptionSpec.all where spec.applies(to: "logs") {
            #expect(help.contains("--\(spec.long)"), "--\(spec.long) missing from help")
        }
        #expect(help.contains("Exit status:"))
        #expect(help.contains("Examples:"))
    }
}
