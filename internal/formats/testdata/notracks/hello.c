#include <stdio.h>

int main(void)
{
    int x = printf("hello\n");
    return x;
}
