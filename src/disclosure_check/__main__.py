from disclosure_check.cli import main

main()
