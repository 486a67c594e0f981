"""Custom Objects: object types defined at run time, served as NetBox's Custom Objects plugin serves them."""
