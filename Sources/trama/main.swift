import TramaCLI
TramaCommand.main()
