"""NetBox import compatibility: ``from extras.scripts import *`` gives the Job/Var API."""
