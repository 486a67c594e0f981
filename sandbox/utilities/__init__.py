"""Helpers shared by the data apps (NetBox's ``utilities``)."""
