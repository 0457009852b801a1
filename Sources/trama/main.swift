import TramaCLI

TramaCommand.main()
