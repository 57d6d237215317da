import { defaultPaths, startDesktopApp } from './desktopApp.ts'

startDesktopApp(defaultPaths(import.meta.dirname))
