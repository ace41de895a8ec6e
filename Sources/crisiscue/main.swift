import CrisisCueApp

CrisisCueCommand.runMain()
