"""Team and mixed-team matches against ghosts: start one, shoot it, print it."""
