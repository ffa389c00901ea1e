# The benchmark's gunicorn settings are on its command line (bench/archive.py).
# This empty file is given with -c so that gunicorn does not read the production
# gunicorn.conf.py from the current folder: its access log and recycled workers
# would measure something else than the pages.
