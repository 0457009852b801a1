import TramaCLI

await TramaCommand.start()
