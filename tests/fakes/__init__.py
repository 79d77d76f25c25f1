"""Local fakes of the services Step Up talks to, served over real localhost HTTP."""
