import VirtLabCommands

@main
struct VirtLabMain {
    static func main() {
        VirtLabCLI.runAndExit()
    }
}
