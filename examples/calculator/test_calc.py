import unittest

from calc import CalcError, evaluate, main


class EvaluateTest(unittest.TestCase):
    def test_arithmetic(self):
        self.assertEqual(evaluate("2 * (3 + 4)"), 14)
        self.assertEqual(evaluate("7 // 2"), 3)
        self.assertEqual(evaluate("-2 ** 2"), -4)

    def test_functions(self):
        self.assertAlmostEqual(evaluate("sqrt(16)"), 4.0)

    def test_rejects_code(self):
        with self.assertRaises(CalcError):
            evaluate("__import__('os').system('id')")
        with self.assertRaises(CalcError):
            evaluate("1 / 0")

    def test_main_exit_codes(self):
        self.assertEqual(main(["1", "+", "1"]), 0)
        self.assertEqual(main([]), 2)
        self.assertEqual(main(["1 +"]), 1)


if __name__ == "__main__":
    unittest.main()
