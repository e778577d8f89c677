"""Residents' letters (layanan surat online): requests, the village office's queue, signed
letters and their public verification. Built in the letters issue; what is here first is
what every request checks: the applicant's NIK and KK numbers (identity.py)."""
